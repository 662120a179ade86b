"""Generates indexing.json: tensor indexing cases whose expected results come from NumPy.

Each case is an expression on x = arange(120).reshape(4, 5, 6) (or y = arange(12).reshape(3, 4)),
written in the syntax both Python and Duet accept; T(...) builds an integer index array. Only
cases where NumPy and PyTorch agree are listed: PyTorch rejects negative slice steps, and it
applies integer indices before advanced ones (NumPy treats x[0, :, [1, 2]] differently).
Run: python3 make_indexing_fixture.py > indexing.json
"""
import json
import numpy as np


def T(v):
    return np.array(v, dtype=np.int64)


GET = [
    "x[1]", "x[-1]", "x[1, 2]", "x[1, 2, 3]", "x[-1, -2, -3]",
    "x[:]", "x[1:3]", "x[:, 1:3]", "x[:, :, ::2]", "x[::2, 1::2, 4:]", "x[1:3, -2:]",
    "x[:, 10:20]", "x[5:]", "x[:, -100:100:3]", "x[2:1]",
    "x[...]", "x[..., 1]", "x[0, ..., -1]", "x[..., 1:3, 0]", "x[1, ...]",
    "x[None]", "x[:, None]", "x[..., None]", "x[None, 1, None, :, 2]", "x[1, None, 2]",
    "x[x % 7 == 0]", "x[x > 100]", "x[0][x[0] > 20]", "y[y % 2 == 1]", "y[:, T([True, False, True, False]) == 1]",
    "x[T([0, 2])]", "x[T([-1, 0, -1])]", "x[:, T([1, 3])]", "x[..., T([0, 5])]", "x[T([0, 1]), T([2, 3])]",
    "x[T([0, 1]), :, T([2, 3])]", "x[T([[0, 1], [2, 3]])]", "x[:, T([[0], [4]]), T([1, 2, 3])]",
    "x[1:3, T([0, 4])]", "x[T([0, 3]), 1:3]", "y[T([0, 2]), T([1, 3])]", "y[T([2, 0, 1])]",
    "x[[0, 2]]", "x[[0, 3], [1, 4]]", "y[[True, False, True]]",
    "x[1][2]", "x[:, 1][2]", "x[1:3][0, 1:]",
]

SET = [
    "x[1] = -1", "x[1, 2, 3] = -1", "x[:, 1:3] = -1", "x[..., 0] = -1", "x[:, :, ::2] = -1",
    "x[x % 7 == 0] = -1", "x[T([0, 2])] = -1", "x[T([0, 1]), T([2, 3])] = -1", "y[y > 5] = 0",
    "y[:, 1] = T([7, 8, 9])", "y[T([2, 0])] = T([10, 20, 30, 40])", "y[1:, T([0, 3])] = -5",
]

ERRORS = [
    ("x[4]", "IndexError"), ("x[1, 5]", "IndexError"), ("x[0, 0, -7]", "IndexError"), ("x[1, 2, 3, 4]", "IndexError"),
    ("x[T([0, 4])]", "IndexError"), ("x[..., ...]", "IndexError"), ("y[y[0] > 1]", "IndexError"),
]


def main():
    cases = []
    for expr in GET:
        x = np.arange(120, dtype=np.int64).reshape(4, 5, 6)
        y = np.arange(12, dtype=np.int64).reshape(3, 4)
        r = np.asarray(eval(expr))
        cases.append({"kind": "get", "expr": expr, "shape": list(r.shape), "values": [int(v) for v in r.reshape(-1)]})
    for stmt in SET:
        x = np.arange(120, dtype=np.int64).reshape(4, 5, 6)
        y = np.arange(12, dtype=np.int64).reshape(3, 4)
        exec(stmt)
        target = stmt.split("[")[0]
        r = x if target == "x" else y
        cases.append({"kind": "set", "expr": stmt, "target": target, "shape": list(r.shape), "values": [int(v) for v in r.reshape(-1)]})
    for expr, error in ERRORS:
        x = np.arange(120, dtype=np.int64).reshape(4, 5, 6)
        y = np.arange(12, dtype=np.int64).reshape(3, 4)
        try:
            eval(expr)
        except IndexError:
            cases.append({"kind": "error", "expr": expr, "error": error})
        else:
            raise SystemExit(f"{expr} did not fail in NumPy")
    lines = ",\n".join(json.dumps(c) for c in cases)
    print('{"numpy": "%s", "cases": [\n%s\n]}' % (np.__version__, lines))


main()
