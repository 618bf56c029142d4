package org.lstm4j.onnx;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.lstm4j.onnx.proto.OnnxProto.NodeProto;
import org.lstm4j.onnx.proto.OnnxProto.ValueInfoProto;

/** The nodes to map and their order. Package-private. */
final class GraphOrder {
    private GraphOrder() {
    }

    /**
     * The nodes the graph outputs depend on, in an order where each comes after its inputs
     * (Kahn's algorithm; no recursion). {@code defined} holds the names that graph inputs and
     * initializers define.
     */
    static List<NodeProto> of(ImportState state, Set<String> defined) {
        Map<String, Integer> producer = new HashMap<>();
        List<NodeProto> nodes = state.graph.getNodeList();
        for (int i = 0; i < nodes.size(); i++) {
            for (String o : nodes.get(i).getOutputList()) {
                if (o.isEmpty()) {
                    continue;
                }
                if (producer.put(o, i) != null || defined.contains(o)) {
                    throw Node.fail(state.source, nodes.get(i), "value '" + o + "' is produced twice (the graph is not in single-assignment form)");
                }
            }
        }
        boolean[] needed = new boolean[nodes.size()];
        Deque<String> work = new ArrayDeque<>();
        for (ValueInfoProto o : state.graph.getOutputList()) {
            work.add(o.getName());
        }
        while (!work.isEmpty()) {
            String v = work.poll();
            Integer p = producer.get(v);
            if (p == null) {
                if (!defined.contains(v)) {
                    throw state.fail("value '" + v + "' is used but neither a graph input, an initializer nor a node output");
                }
                continue;
            }
            if (!needed[p]) {
                needed[p] = true;
                for (String in : nodes.get(p).getInputList()) {
                    if (!in.isEmpty()) {
                        work.add(in);
                    }
                }
            }
        }
        Map<Integer, Integer> missing = new HashMap<>();
        Map<String, List<Integer>> consumers = new HashMap<>();
        Deque<Integer> ready = new ArrayDeque<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (!needed[i]) {
                continue;
            }
            int m = 0;
            for (String in : new LinkedHashSet<>(nodes.get(i).getInputList())) {
                if (!in.isEmpty() && producer.containsKey(in)) {
                    m++;
                    consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(i);
                }
            }
            missing.put(i, m);
            if (m == 0) {
                ready.add(i);
            }
        }
        List<NodeProto> out = new ArrayList<>();
        while (!ready.isEmpty()) {
            int i = ready.poll();
            out.add(nodes.get(i));
            for (String o : nodes.get(i).getOutputList()) {
                for (int c : consumers.getOrDefault(o, List.of())) {
                    if (missing.merge(c, -1, Integer::sum) == 0) {
                        ready.add(c);
                    }
                }
            }
        }
        if (out.size() < missing.size()) {
            for (Map.Entry<Integer, Integer> e : missing.entrySet()) {
                if (e.getValue() > 0) {
                    throw Node.fail(state.source, nodes.get(e.getKey()), "the node's inputs depend on its own outputs: the graph has a cycle");
                }
            }
        }
        return out;
    }
}
