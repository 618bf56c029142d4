package org.lstm4j.onnx;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.lstm4j.onnx.proto.OnnxProto.NodeProto;
import org.lstm4j.onnx.proto.OnnxProto.ValueInfoProto;

/**
 * The graph's well-formedness, checked on every node as the ONNX checker and ONNX Runtime check
 * it (each value produced once, each input defined, each node's output count allowed by its op's
 * schema, no cycle), and the nodes to map in an order where each comes after its inputs.
 * Package-private.
 */
final class GraphOrder {
    private GraphOrder() {
    }

    /**
     * Checks the whole graph, then returns the nodes the graph outputs depend on, each after its
     * inputs (Kahn's algorithm; no recursion). {@code defined} holds the names that graph inputs and
     * initializers define; {@code registry} knows the output counts of the ops it maps.
     */
    static List<NodeProto> of(ImportState state, Set<String> defined, OpRegistry registry) {
        List<NodeProto> nodes = state.graph.getNodeList();
        Map<String, Integer> producer = new HashMap<>();
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
        for (NodeProto n : nodes) {
            checkNode(state, n, defined, producer, registry);
        }
        checkAcyclic(state, nodes, producer);
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
        List<NodeProto> order = new ArrayList<>();
        for (int i : topological(nodes, producer, needed)) {
            order.add(nodes.get(i));
        }
        return order;
    }

    /** Every input defined somewhere, and an output count the op's schema allows (for ops lstm4j knows). */
    private static void checkNode(ImportState state, NodeProto n, Set<String> defined, Map<String, Integer> producer, OpRegistry registry) {
        for (String in : n.getInputList()) {
            if (!in.isEmpty() && !defined.contains(in) && !producer.containsKey(in)) {
                throw Node.fail(state.source, n, "its input '" + in + "' is neither a graph input, an initializer nor a node output");
            }
        }
        boolean standard = n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx");
        OpRegistry.Entry e = standard ? registry.entry(n.getOpType(), state.opset) : null;
        if (e != null && !e.outputs().allows(n.getOutputCount())) {
            throw Node.fail(state.source, n, "it has " + n.getOutputCount() + " outputs, but " + n.getOpType() + " (opset "
                    + state.opset + ") has " + e.outputs() + " (as ONNX's schema and ONNX Runtime require)");
        }
    }

    /** Refuses a cycle anywhere in the graph, naming the nodes on it. */
    private static void checkAcyclic(ImportState state, List<NodeProto> nodes, Map<String, Integer> producer) {
        boolean[] all = new boolean[nodes.size()];
        Arrays.fill(all, true);
        Set<Integer> placed = new HashSet<>(topological(nodes, producer, all));
        if (placed.size() == nodes.size()) {
            return;
        }
        // Every node left waits for an input that another node left produces: following those inputs must come back round.
        int start = 0;
        while (placed.contains(start)) {
            start++;
        }
        Map<Integer, Integer> seenAt = new LinkedHashMap<>();
        List<Integer> path = new ArrayList<>();
        List<String> via = new ArrayList<>();
        int cur = start;
        while (!seenAt.containsKey(cur)) {
            seenAt.put(cur, path.size());
            path.add(cur);
            for (String in : nodes.get(cur).getInputList()) {
                Integer p = in.isEmpty() ? null : producer.get(in);
                if (p != null && !placed.contains(p)) {
                    via.add(in);
                    cur = p;
                    break;
                }
            }
        }
        List<Integer> cycle = path.subList(seenAt.get(cur), path.size());
        StringBuilder names = new StringBuilder();
        for (int i : cycle) {
            names.append('\'').append(Node.nameOf(nodes.get(i))).append("' -> ");
        }
        names.append('\'').append(Node.nameOf(nodes.get(cycle.get(0)))).append('\'');
        NodeProto first = nodes.get(cycle.get(0));
        throw Node.fail(state.source, first, "its input '" + via.get(seenAt.get(cur)) + "' depends on its own outputs: the graph has a cycle ("
                + names + ")");
    }

    /** The indexes of the nodes marked in {@code include}, each after the producers of its inputs; nodes on or after a cycle are left out. */
    private static List<Integer> topological(List<NodeProto> nodes, Map<String, Integer> producer, boolean[] include) {
        Map<Integer, Integer> missing = new HashMap<>();
        Map<String, List<Integer>> consumers = new HashMap<>();
        Deque<Integer> ready = new ArrayDeque<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (!include[i]) {
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
        List<Integer> out = new ArrayList<>();
        while (!ready.isEmpty()) {
            int i = ready.poll();
            out.add(i);
            for (String o : nodes.get(i).getOutputList()) {
                for (int c : consumers.getOrDefault(o, List.of())) {
                    if (missing.merge(c, -1, Integer::sum) == 0) {
                        ready.add(c);
                    }
                }
            }
        }
        return out;
    }
}
