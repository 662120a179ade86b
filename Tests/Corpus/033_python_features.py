import math

words = ["tensor", "grad", "loss", "optimizer", "batch"]
lengths = {w: len(w) for w in words}
print("lengths", lengths)
print("sorted", sorted(words, key=len))
print("filtered", [w.upper() for w in words if "a" in w])
print("enumerate", list(enumerate(words[:2], start=1)))
print("zip", list(zip(words, range(3))))
print("fstring", f"{math.pi:.3f} {42:05d} {'x':>3}|{0.5:.1%}")
first, *rest = words
print("unpack", first, rest)
print("any_all", any(len(w) > 8 for w in words), all(len(w) > 3 for w in words))
print("minmax", min(words), max(words, key=len))
total = 0
for i, w in enumerate(words):
    if i == 3:
        break
    total += len(w)
else:
    total = -1
print("total", total)
print("dict_get", lengths.get("missing", 0), "grad" in lengths)
print("set", sorted({len(w) for w in words}))
print("slice", words[::-2], "".join(reversed("abc")))
print("divmod", divmod(17, 5), 2 ** 10, 7 // -2, round(2.675, 2))
