line = "  epoch=3, loss=0.125, acc=0.9  "
parts = [p.strip() for p in line.strip().split(",")]
print("parts", parts)
kv = dict(p.split("=") for p in parts)
print("kv", kv)
print("floats", {k: float(v) for k, v in kv.items()})
print("startswith", line.strip().startswith("epoch"), "loss" in line)
print("replace", line.strip().replace("=", ": "))
print("join", "|".join(sorted(kv)))
print("format", "{:>8}|{:<6}|{:^7}".format("right", "left", "mid"))
print("pct", "{:.2%}".format(0.4567), "{:,}".format(1234567))
print("split", "a,b,,c".split(","), line.split())
print("case", "Loss".lower(), "loss".upper())
print("repr", repr("it's"), str(1.5), int("42") + 1)
