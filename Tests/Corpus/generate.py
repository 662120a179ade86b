"""Regenerates the expected outputs of the PyTorch-checked corpus.

Every NNN_name.py next to this file is run with real PyTorch (the interpreter running this file
must have torch installed), and its standard output is written to NNN_name.out after a header
line recording the torch version and the SHA-256 of the script:

    # torch 2.x.y sha256 <hex>

The Swift test Tests/DuetScriptTests/CorpusTests.swift runs each script in Duet and compares its
output with the .out file (numbers with a tolerance, other text exactly); it fails when a script's
hash no longer matches, so re-run this after editing a script:

    /path/to/venv/bin/python Tests/Corpus/generate.py [NNN_name.py ...]

Each script runs in its own process (forked after importing torch once), in a temporary
directory, with the seed fixed, so one script cannot affect another. A script that fails under PyTorch is a bug in the corpus: its
error is printed and the generator exits with status 1 without writing its .out file.
"""
import hashlib
import os
import re
import runpy
import sys
import tempfile
import traceback

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = re.compile(r"^\d{3}_[A-Za-z0-9_]+\.py$")


def run_script(path, tmp):
    """Runs one script in a forked child (torch is imported once, in the parent); returns
    (exit status, stdout bytes, stderr bytes)."""
    out_path, err_path = os.path.join(tmp, "stdout"), os.path.join(tmp, "stderr")
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        status = 0
        try:
            os.chdir(tmp)
            out_fd = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
            err_fd = os.open(err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
            os.dup2(out_fd, 1)
            os.dup2(err_fd, 2)
            torch.manual_seed(0)
            sys.argv = [path]
            runpy.run_path(path, run_name="__main__")
        except BaseException:
            traceback.print_exc()
            status = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(status)
    _, status = os.waitpid(pid, 0)
    with open(out_path, "rb") as f:
        out = f.read()
    with open(err_path, "rb") as f:
        err = f.read()
    return os.waitstatus_to_exitcode(status), out, err


def main(argv):
    names = [os.path.basename(a) for a in argv] or sorted(n for n in os.listdir(HERE) if SCRIPT.match(n))
    torch.set_num_threads(1)
    failed = []
    for name in names:
        path = os.path.join(HERE, name)
        with open(path, "rb") as f:
            source = f.read()
        digest = hashlib.sha256(source).hexdigest()
        with tempfile.TemporaryDirectory() as tmp:
            code, stdout, stderr = run_script(path, tmp)
        if code != 0:
            failed.append(name)
            sys.stderr.write(f"{name}: exit {code}\n{stderr.decode('utf-8', 'replace')}\n")
            continue
        with open(path[:-3] + ".out", "w", encoding="utf-8", newline="\n") as f:
            f.write(f"# torch {torch.__version__} sha256 {digest}\n")
            f.write(stdout.decode("utf-8"))
        print(f"{name}: {len(stdout.splitlines())} lines")
    if failed:
        sys.stderr.write(f"{len(failed)} script(s) failed under PyTorch: {', '.join(failed)}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
