import torch


class ConfigError(ValueError):
    pass


def check(cfg):
    if cfg.get("lr", 0) <= 0:
        raise ConfigError(f"bad lr: {cfg.get('lr')}")
    return cfg["lr"]


try:
    check({"lr": -1})
except ValueError as e:
    print("caught", type(e).__name__, str(e))

try:
    torch.ones(2, 3) @ torch.ones(2, 3)
except RuntimeError:
    print("matmul_error", "RuntimeError")

try:
    torch.zeros(3)[5]
except IndexError:
    print("index_error", "IndexError")

try:
    [1, 2][3]
except LookupError as e:
    print("lookup_error", type(e).__name__)
finally:
    print("finally", True)

try:
    raise RuntimeError("outer") from ZeroDivisionError("inner")
except RuntimeError as e:
    print("cause", type(e.__cause__).__name__, str(e.__cause__))
