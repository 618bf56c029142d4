#!/usr/bin/env python3
"""The text example: a Keras embedding + LSTM classifier of short texts, for `./lstm example text`.

    "$(tools/python/venv.sh keras)"/bin/python tools/demo/train_text.py

Corpus: generated here (seeded), so that it is free to commit and re-make: short restaurant and film reviews
built from templates, in three classes, where word order matters ("not good" is negative, "good" positive; a
question is its own class):
  0 positive   "the soup was really good", "i loved the actors"
  1 negative   "the soup was not good", "i did not love the actors", "the service was awful"
  2 question   "was the soup good", "did you like the actors"
A word list of 1,000 sentences (800 train, 200 held out), lower case.

Model: Embedding(vocab, 16, mask_zero=True) -> LSTM(24) -> Dense(3, softmax), Adam 1e-2, 12 epochs, batches
pre-padded to 12 steps with keras.utils.pad_sequences (its default, padding='pre'); id 0 pads, id 1 is an unknown
word. The held-out accuracy is recorded.

Writes lstm-examples/src/main/resources/org/lstm4j/examples/text/:
  vocab.txt                  the vocabulary, one word per line, line k = id k (0 <pad>, 1 <unk>)
  *.npy                      Keras's own weight arrays (embedding/embeddings, lstm/kernel, lstm/recurrent_kernel,
                             lstm/bias, dense/kernel, dense/bias), float32, in Keras's layouts
  text.json                  classes, max length, the training record, and sample texts with their pre-padded ids
                             and Keras's own probabilities (model(ids, training=False)), which Java compares with
  model.keras                the trained model (Keras native format), for the Keras importer
"""
import json
import os
import re
import shutil
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402
from keras import layers as L  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "lstm-examples/src/main/resources/org/lstm4j/examples/text"
CLASSES = ["positive", "negative", "question"]
MAXLEN = 12
SEED = 2024

THINGS = ["soup", "pasta", "coffee", "service", "film", "plot", "actors", "music", "dessert", "ending", "waiter",
          "pizza", "story", "soundtrack", "wine", "bread"]
GOOD = ["good", "great", "lovely", "excellent", "tasty", "wonderful", "fine", "brilliant"]
BAD = ["bad", "awful", "terrible", "boring", "cold", "bland", "dull", "poor"]
LIKE = ["liked", "loved", "enjoyed", "adored"]
ADVERB = ["really", "very", "quite", "so", ""]


def sentence(rng, label):
    thing = rng.choice(THINGS)
    adv = rng.choice(ADVERB)
    pick = rng.integers(4)
    if label == 0:
        forms = [f"the {thing} was {adv} {rng.choice(GOOD)}", f"i {rng.choice(LIKE)} the {thing}",
                 f"what a {rng.choice(GOOD)} {thing}", f"the {thing} was not {rng.choice(BAD)}"]
    elif label == 1:
        forms = [f"the {thing} was {adv} {rng.choice(BAD)}", f"i did not like the {thing}",
                 f"the {thing} was not {rng.choice(GOOD)}", f"what a {rng.choice(BAD)} {thing}"]
    else:
        forms = [f"was the {thing} {rng.choice(GOOD + BAD)}", f"did you like the {thing}",
                 f"how was the {thing}", f"is the {thing} {adv} {rng.choice(GOOD)}"]
    return re.sub(" +", " ", forms[pick]).strip()


def tokenize(text):
    """Lower case, words of letters only: the Java example tokenizes the same way."""
    return re.findall(r"[a-z]+", text.lower())


def main():
    keras.utils.set_random_seed(SEED)
    tf.config.experimental.enable_op_determinism()
    rng = np.random.default_rng(SEED)
    labels = rng.integers(0, 3, 1000)
    texts = [sentence(rng, int(y)) for y in labels]
    words = sorted({w for t in texts[:800] for w in tokenize(t)})
    vocab = ["<pad>", "<unk>"] + words
    index = {w: i for i, w in enumerate(vocab)}

    def encode(batch):
        return keras.utils.pad_sequences([[index.get(w, 1) for w in tokenize(t)] for t in batch], maxlen=MAXLEN)

    x = encode(texts)
    model = keras.Sequential([keras.Input((MAXLEN,), dtype="int32"),
                              L.Embedding(len(vocab), 16, mask_zero=True, name="embedding"),
                              L.LSTM(24, name="lstm"),
                              L.Dense(3, activation="softmax", name="dense")], name="reviews")
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    hist = model.fit(x[:800], labels[:800], epochs=12, batch_size=32, verbose=0)
    held_out = model.evaluate(x[800:], labels[800:], verbose=0)

    samples = ["the pasta was really good", "the pasta was not good", "was the pasta good", "i did not like the plot",
               "what a brilliant ending", "the coffee was cold", "did you like the music", "i loved the soundtrack",
               "the waiter was not terrible", "how was the wine", "the story was so dull", "the zebra was good"]
    ids = encode(samples)
    probabilities = np.asarray(model(ids, training=False), np.float32)

    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    (OUT / "vocab.txt").write_text("".join(w + "\n" for w in vocab))
    arrays = {"embedding_embeddings": model.get_layer("embedding").get_weights()[0]}
    for name, arr in zip(["kernel", "recurrent_kernel", "bias"], model.get_layer("lstm").get_weights()):
        arrays["lstm_" + name] = arr
    for name, arr in zip(["kernel", "bias"], model.get_layer("dense").get_weights()):
        arrays["dense_" + name] = arr
    for name, arr in arrays.items():
        np.save(OUT / f"{name}.npy", np.asarray(arr, np.float32), allow_pickle=False)
    model.save(OUT / "model.keras")
    doc = {
        "description": "Embedding(vocab, 16, mask_zero=True) -> LSTM(24) -> Dense(3, softmax) trained by "
                       "tools/demo/train_text.py on generated review sentences; texts are pre-padded to max_length "
                       "(keras.utils.pad_sequences' default)",
        "source": f"Keras {keras.__version__} (TensorFlow {tf.__version__}, CPU, float32): model(ids, training=False)",
        "classes": CLASSES,
        "max_length": MAXLEN,
        "tokenizer": "lower case, words of letters [a-z]+, vocab.txt line k is id k, unknown words id 1, padding id 0",
        "layouts": "embedding_embeddings [vocab, 16]; lstm_kernel [16, 96], lstm_recurrent_kernel [24, 96], lstm_bias [96] "
                   "(gates i, f, c, o); dense_kernel [24, 3], dense_bias [3]",
        "training": {"sentences": 1000, "train": 800, "held_out": 200, "epochs": 12, "optimizer": "Adam(1e-2)",
                     "final_train_loss": float(hist.history["loss"][-1]),
                     "final_train_accuracy": float(hist.history["accuracy"][-1]),
                     "held_out_accuracy": float(held_out[1]), "seed": SEED},
        "samples": [{"text": t, "ids": [int(v) for v in row], "keras_probabilities": [float(p) for p in probs]}
                    for t, row, probs in zip(samples, ids, probabilities)],
    }
    (OUT / "text.json").write_text(json.dumps(doc, indent=2) + "\n")
    print(f"vocab {len(vocab)}, train accuracy {hist.history['accuracy'][-1]:.3f}, held-out accuracy {held_out[1]:.3f}")
    for t, probs in zip(samples, probabilities):
        print(f"  {CLASSES[int(np.argmax(probs))]:9s} {probs.max():.3f}  {t}")


if __name__ == "__main__":
    main()
