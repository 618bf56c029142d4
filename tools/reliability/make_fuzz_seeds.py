#!/usr/bin/env python3
"""Writes the hand-mutated seeds of the lstm-reliability fuzz tests (re-runnable; standard library only).

Each seed is a hostile variant of a valid file: the fuzzer starts from the format's edges instead of
having to find them. The NumPy-written seeds beside them are copies of test and fixture files.
Run from the repository root:  python3 tools/reliability/make_fuzz_seeds.py
"""
import os
import struct

ROOT = "lstm-reliability/src/test/resources/org/lstm4j/reliability"
NPY = os.path.join(ROOT, "NpyFuzzTestInputs", "readsOrRefuses")
CSV = os.path.join(ROOT, "CsvFuzzTestInputs", "readsOrRefuses")


def npy(header: str, data: bytes = b"", version=(1, 0), declared_len=None) -> bytes:
    h = header.encode("latin1")
    pad = (64 - (10 + len(h) + 1) % 64) % 64
    h = h + b" " * pad + b"\n"
    n = len(h) if declared_len is None else declared_len
    if version[0] == 1:
        head = b"\x93NUMPY" + bytes(version) + struct.pack("<H", n & 0xFFFF)
    else:
        head = b"\x93NUMPY" + bytes(version) + struct.pack("<I", n & 0xFFFFFFFF)
    return head + h + data


def f4(n):
    return struct.pack("<%df" % n, *[0.5 * i for i in range(n)])


SEEDS_NPY = {
    "mut_huge_shape.npy": npy("{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000, 100000), }", f4(4)),
    "mut_int_overflow_shape.npy": npy("{'descr': '<f4', 'fortran_order': False, 'shape': (65536, 65536), }", f4(4)),
    "mut_negative_dim.npy": npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, -3), }", f4(6)),
    "mut_long_dim.npy": npy("{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999L,), }", f4(2)),
    "mut_data_short.npy": npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4, 4), }", f4(10)),
    "mut_data_long.npy": npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", f4(10)),
    "mut_zero_dim.npy": npy("{'descr': '<f4', 'fortran_order': False, 'shape': (0, 5), }"),
    "mut_scalar_i8.npy": npy("{'descr': '<i8', 'fortran_order': False, 'shape': (), }", struct.pack("<q", 2**40)),
    "mut_big_endian_i4.npy": npy("{'descr': '>i4', 'fortran_order': False, 'shape': (3,), }", struct.pack(">3i", 1, 2, 3)),
    "mut_header_len_past_end.npy": npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", f4(1), declared_len=60000),
    "mut_v2_header_len_negative.npy": npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", f4(1), version=(2, 0), declared_len=0xFFFFFFF0),
    "mut_v3_utf8.npy": npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'n\u00e4me': 1}", f4(1), version=(3, 0)),
    "mut_version_9.npy": npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", f4(1), version=(9, 0)),
    "mut_object_dtype.npy": npy("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", b"\0" * 8),
    "mut_no_shape.npy": npy("{'descr': '<f4', 'fortran_order': False, }", f4(1)),
    "mut_many_dims.npy": npy("{'descr': '<f4', 'fortran_order': False, 'shape': (" + "1, " * 2000 + "), }", f4(1)),
    "mut_magic_only.npy": b"\x93NUMPY",
}

SEEDS_CSV = {
    "dated.csv": "date,passengers,temperature\n1949-01,112,3.5\n1949-02,118,4.0\n1949-03,132,7.25\n",
    "quoted.csv": '"month","value, with comma"\n"1949-01","1.5"\n"1949-02","2.5"\n"say ""hi""",3\n',
    "crlf_blank_lines.csv": "t,y\r\n\r\n0,1e-3\r\n1,-2.5E+2\r\n\r\n2,NaN\r\n3,Infinity\r\n",
    "ragged.csv": "a,b\n1,2\n3\n",
    "unterminated_quote.csv": 'a,b\n"1,2\n',
    "header_only.csv": "a,b,c\n",
    "no_numeric.csv": "a,b\nx,y\nz,w\n",
    "duplicate_columns.csv": "v,v,label\n1,2,a\n3,4,b\n",
    "hex_and_suffixes.csv": "x\n0x1p3\n1d\n2f\n-0\n",
    "unicode.csv": "z\u00e9it,\u6e29\u5ea6\n2020-01-01,1\n2020-01-02,2\n",
    "empty.csv": "",
}


def main():
    os.makedirs(NPY, exist_ok=True)
    os.makedirs(CSV, exist_ok=True)
    for name, data in SEEDS_NPY.items():
        with open(os.path.join(NPY, name), "wb") as f:
            f.write(data)
    for name, text in SEEDS_CSV.items():
        with open(os.path.join(CSV, name), "wb") as f:
            f.write(text.encode("utf-8"))


if __name__ == "__main__":
    main()
