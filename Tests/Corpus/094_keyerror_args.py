config = {"lr": 0.1}
try:
    config["momentum"]
except KeyError as e:
    print("args", e.args)
    print("arg0", e.args[0])
    print("str", str(e))
try:
    raise KeyError("batch_size")
except KeyError as e:
    print("raised_str", str(e))
    print("raised_repr", repr(e))
