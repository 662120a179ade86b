class Meter:
    count = 0

    def __init__(self, name):
        self.name = name
        self.values = []
        Meter.count += 1

    def update(self, v):
        self.values.append(v)

    @property
    def avg(self):
        return sum(self.values) / len(self.values) if self.values else 0.0

    @classmethod
    def named(cls, name):
        return cls(name.upper())

    @staticmethod
    def fmt(v):
        return f"{v:.2f}"

    def __repr__(self):
        return f"Meter({self.name!r}, n={len(self.values)})"

    def __len__(self):
        return len(self.values)


class MaxMeter(Meter):
    def update(self, v):
        super().update(v)
        self.best = max(self.values)


m = MaxMeter.named("loss")
for v in [0.5, 0.25, 1.0]:
    m.update(v)
print("repr", m)
print("avg", m.avg, Meter.fmt(m.avg))
print("best", m.best, len(m))
print("count", Meter.count, isinstance(m, Meter), issubclass(MaxMeter, Meter))
print("mro", [c.__name__ for c in MaxMeter.__mro__])
print("hasattr", hasattr(m, "best"), getattr(m, "missing", "default"))
