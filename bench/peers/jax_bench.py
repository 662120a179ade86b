"""JAX versions of the BENCHMARKS.md workloads, printing the same JSON lines as `duet bench --json`
(`duet bench --vs jax` runs them interleaved with Duet's).

sgemm1024, exp16M and add16_overhead dispatch one jax.numpy op at a time (modes engine and script,
as Duet's); gelu4M and the training steps are jax.jit-compiled, JAX's usual way, so they report
mode "graph" and pair with Duet's graph mode. Every timing waits for the result (block_until_ready):
JAX dispatches asynchronously.

Usage: python jax_bench.py [workload ...] | --serve   (needs jax)
"""
import jax
import jax.numpy as jnp

from peer_protocol import main, median_seconds

KEY = jax.random.PRNGKey(0)


def randn(*shape):
    global KEY
    KEY, sub = jax.random.split(KEY)
    return jax.random.normal(sub, shape, dtype=jnp.float32)


def sgemm1024():
    a, b = randn(1024, 1024), randn(1024, 1024)
    return 2 * 1024 ** 3 / median_seconds(lambda: (a @ b).block_until_ready()) / 1e9


def exp16m():
    x = randn(16 << 20)
    return (16 << 20) / median_seconds(lambda: jnp.exp(x).block_until_ready()) / 1e9


def add16_overhead():
    a, b = randn(16), randn(16)

    def loop():
        for _ in range(1000):
            c = a + b
        c.block_until_ready()
    return median_seconds(loop, repeats=15) / 1000 * 1e6


def gelu4m():
    x = randn(4 << 20)
    gelu = jax.jit(lambda x: 0.5 * x * (1 + jnp.tanh(0.7978845608 * (x + 0.044715 * x * x * x))))
    return median_seconds(lambda: gelu(x).block_until_ready()) * 1e3


def linear(fan_in, fan_out):
    return {"w": randn(fan_in, fan_out) * (1 / fan_in) ** 0.5, "b": jnp.zeros(fan_out)}


def cross_entropy(logits, y):
    return -jnp.mean(jnp.take_along_axis(jax.nn.log_softmax(logits), y[:, None], axis=1))


def train_step_ms(forward, params, x, y, lr=0.01):
    """One jitted SGD step (forward, backward, update), as PyTorch's zero_grad + backward + step."""
    @jax.jit
    def step(params):
        grads = jax.grad(lambda p: cross_entropy(forward(p, x), y))(params)
        return jax.tree_util.tree_map(lambda p, g: p - lr * g, params, grads)
    state = {"params": params}

    def run():
        state["params"] = step(state["params"])
        jax.block_until_ready(state["params"])
    return median_seconds(run, repeats=21, warmup=3) * 1e3


def mlp_train_step():
    params = [linear(784, 512), linear(512, 512), linear(512, 10)]

    def forward(p, x):
        for layer in p[:-1]:
            x = jax.nn.relu(x @ layer["w"] + layer["b"])
        return x @ p[-1]["w"] + p[-1]["b"]
    return train_step_ms(forward, params, randn(128, 784), jax.random.randint(KEY, (128,), 0, 10))


def lenet_train_step():
    def conv(c_in, c_out):
        return {"w": randn(c_out, c_in, 5, 5) * (1 / (c_in * 25)) ** 0.5, "b": jnp.zeros(c_out)}

    def conv2d(p, x, padding):
        y = jax.lax.conv_general_dilated(x, p["w"], (1, 1), [(padding, padding)] * 2,
                                         dimension_numbers=("NCHW", "OIHW", "NCHW"))
        return y + p["b"][None, :, None, None]

    def pool(x):
        return jax.lax.reduce_window(x, -jnp.inf, jax.lax.max, (1, 1, 2, 2), (1, 1, 2, 2), "VALID")

    params = {"c1": conv(1, 6), "c2": conv(6, 16), "l": [linear(400, 120), linear(120, 84), linear(84, 10)]}

    def forward(p, x):
        x = pool(jax.nn.relu(conv2d(p["c1"], x, 2)))
        x = pool(jax.nn.relu(conv2d(p["c2"], x, 0))).reshape(x.shape[0], -1)
        for layer in p["l"][:-1]:
            x = jax.nn.relu(x @ layer["w"] + layer["b"])
        return x @ p["l"][-1]["w"] + p["l"][-1]["b"]
    return train_step_ms(forward, params, randn(64, 1, 28, 28), jax.random.randint(KEY, (64,), 0, 10))


WORKLOADS = {
    "sgemm1024": ("engine", "GFLOP/s", sgemm1024),
    "exp16M": ("engine", "Gelem/s", exp16m),
    "add16_overhead": ("script", "µs/op", add16_overhead),
    "gelu4M": ("graph", "ms", gelu4m),
    "mlp_train_step": ("graph", "ms", mlp_train_step),
    "lenet_train_step": ("graph", "ms", lenet_train_step),
}

if __name__ == "__main__":
    main("jax", jax.__version__, WORKLOADS)
