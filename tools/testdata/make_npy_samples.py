"""Writes the .npy samples lstm-api's reader tests read, with NumPy itself as the independent writer.

Run: python tools/testdata/make_npy_samples.py   (any NumPy >= 1.17; committed outputs were made with the version printed)
"""
import os
import numpy as np
from numpy.lib import format as npf

out = os.path.join(os.path.dirname(__file__), "..", "..", "lstm-api", "src", "test", "resources", "org", "lstm4j", "tensor", "npy")
os.makedirs(out, exist_ok=True)
a = np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 8 - 1

def save(name, arr, version=None):
    with open(os.path.join(out, name), "wb") as f:
        if version is None:
            np.save(f, arr)
        else:
            npf.write_array(f, arr, version=version)

save("f4_v1.npy", a)
save("f4_v2.npy", a, version=(2, 0))
save("f4_v3.npy", a, version=(3, 0))
save("f8.npy", a.astype(np.float64) + 1e-9)
save("f4_big_endian.npy", a.astype(">f4"))
save("i4_lengths.npy", np.array([3, 1, 2], dtype=np.int32))
save("i8_lengths.npy", np.array([3, 1, 2], dtype=np.int64))
save("i8_token_ids.npy", np.array([[3, 1, 0], [11, 0, 0]], dtype=np.int64))
save("i8_too_large.npy", np.array([1, 2**40], dtype=np.int64))
save("b1_mask.npy", np.array([[True, True, False], [False, True, True]]))
save("scalar.npy", np.float32(2.5))
save("fortran.npy", np.asfortranarray(a))
save("complex.npy", a.astype(np.complex64))
with open(os.path.join(out, "f4_v1.npy"), "rb") as f:
    data = f.read()
with open(os.path.join(out, "truncated.npy"), "wb") as f:
    f.write(data[:-5])
print("numpy", np.__version__)
