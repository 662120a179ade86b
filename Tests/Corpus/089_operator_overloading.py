class Vec:
    def __init__(self, *xs):
        self.xs = list(xs)

    def __add__(self, other):
        if isinstance(other, (int, float)):
            return Vec(*[x + other for x in self.xs])
        return Vec(*[a + b for a, b in zip(self.xs, other.xs)])

    def __radd__(self, other):
        return self + other

    def __mul__(self, k):
        return Vec(*[x * k for x in self.xs])

    def __neg__(self):
        return self * -1

    def __eq__(self, other):
        return isinstance(other, Vec) and self.xs == other.xs

    def __getitem__(self, i):
        return self.xs[i]

    def __len__(self):
        return len(self.xs)

    def __repr__(self):
        return f"Vec({', '.join(str(x) for x in self.xs)})"


a, b = Vec(1, 2), Vec(3, 4)
print("add", a + b, 10 + a, a + 0.5)
print("neg", -a, a * 3)
print("eq", a == Vec(1, 2), a != b)
print("index", b[1], len(b), list(b))
print("sum", sum([a, b, Vec(0, 1)], Vec(0, 0)))
