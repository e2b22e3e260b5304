#!/usr/bin/env python3
"""Issue 14, item 8: a crashed `plan` left 8 copies of the API key in its core, and any
process of the same user could read a running zonegen's memory. Now every command runs
with RLIMIT_CORE 0 and PR_SET_DUMPABLE 0.

A fake PowerDNS (started here, on loopback) takes zonegen's request and never answers, so
zonegen waits holding the API key (read from a file). zonegen runs as the unprivileged user
zgtest-a with an unlimited core size; then, while it waits: its /proc files belong to root,
neither zgtest-a itself nor zgtest-b can open its /proc/PID/mem or environ, its core limit
is 0; and after a SIGABRT no core file is left. A control process (`sleep`) of the same user,
started the same way, does leave one where the kernel writes cores into the working
directory, so the check is not vacuous. Needs root (tests/tools/local_users.py). Usage:
  test_secrets_memory.py ZONEGEN SOURCE_DIR WORKDIR"""
import os, resource, shutil, signal, socket, subprocess, sys, threading, time

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from servers import DEADLINE, free_port
import harness
from local_users import as_user_argv, ensure_user, public_copy, public_dir, require_root, run_as

ZG, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
KEY = "memory-test-api-key-3c9e51"
world = {"requests": [], "conns": [], "dirs": [], "procs": []}


class SilentServer:
    """Accepts HTTP connections, records each request's head, and never answers."""

    def __init__(self):
        self.port = free_port()
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", self.port))
        self.sock.listen(8)
        threading.Thread(target=self.loop, daemon=True).start()

    def loop(self):
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            world["conns"].append(c)
            c.settimeout(DEADLINE)
            data = b""
            try:
                while b"\r\n\r\n" not in data:
                    chunk = c.recv(4096)
                    if not chunk:
                        break
                    data += chunk
            except OSError:
                pass
            world["requests"].append(data.decode("latin-1"))

    def stop(self):
        self.sock.close()
        for c in world["conns"]:
            c.close()


def setup():
    require_root()
    a = ensure_user("zgtest-a")
    ensure_user("zgtest-b")
    d = public_dir("zg-memory-")
    world["dirs"].append(d)
    world["zg"] = public_copy(ZG, d)
    module = os.path.join(os.path.dirname(os.path.abspath(ZG)), "zonegen-http.so")
    public_copy(module, d)  # beside the program, where it is looked for first
    world["spec"] = os.path.join(d, "spec.yaml")
    with open(world["spec"], "w") as f:
        f.write("domain: memory-zonegen-test.com\ndns_pattern: A\nregistrar: customer\n"
                "server: {name: sv1.example.net, ipv4: [192.0.2.10]}\n")
    os.chmod(world["spec"], 0o644)
    world["key"] = os.path.join(d, "api.key")
    with open(world["key"], "w") as f:
        f.write(KEY + "\n")
    os.chmod(world["key"], 0o600)
    os.chown(world["key"], *a)
    world["cwd"] = os.path.join(d, "cwd")  # zgtest-a's working directory: where a core would go
    os.mkdir(world["cwd"], 0o700)
    os.chown(world["cwd"], *a)
    world["server"] = SilentServer()


def teardown():
    for p in world["procs"]:
        if p.poll() is None:
            p.kill()
            p.wait()
    if "server" in world:
        world["server"].stop()
    for d in world["dirs"]:
        shutil.rmtree(d, ignore_errors=True)


def unlimited_core():
    resource.setrlimit(resource.RLIMIT_CORE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))


def start_as_a(argv):
    p = subprocess.Popen(as_user_argv("zgtest-a", argv), cwd=world["cwd"], preexec_fn=unlimited_core,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={"PATH": os.environ["PATH"]})
    world["procs"].append(p)
    return p


def cores():
    return [f for f in os.listdir(world["cwd"]) if f.startswith("core")]


def plain_core_pattern():
    """True when the kernel writes cores as files named core* in the working directory."""
    pattern = open("/proc/sys/kernel/core_pattern").read().strip()
    return pattern.startswith("core") and "/" not in pattern and "|" not in pattern


def wait_for(cond, what):
    until = time.time() + DEADLINE
    while time.time() < until:
        if cond():
            return
        time.sleep(0.05)
    raise AssertionError("timed out waiting for " + what)


def test_a_waiting_plan_holding_the_api_key_is_closed_to_its_own_user_and_leaves_no_core():
    p = start_as_a([world["zg"], "plan", world["spec"], "--pdns-url", "http://127.0.0.1:%d" % world["server"].port,
                    "--pdns-api-key-file", world["key"], "--pdns-timeout", "600"])
    # It has read the key from its file and sent it: it holds it now, waiting for the answer.
    wait_for(lambda: any(KEY in r for r in world["requests"]) or p.poll() is not None, "zonegen's request")
    assert p.poll() is None, p.communicate()
    pid = p.pid
    status = open("/proc/%d/status" % pid).read()
    uid_a = str(ensure_user("zgtest-a")[0])
    assert "\nUid:\t%s\t%s" % (uid_a, uid_a) in status, status  # it really runs as zgtest-a
    # Not dumpable: the kernel gives its /proc files to root.
    for f in ("environ", "mem", "maps"):
        assert os.stat("/proc/%d/%s" % (pid, f)).st_uid == 0, f
    # Neither its own user nor another one may read its memory or environment.
    for user in ("zgtest-a", "zgtest-b"):
        for f in ("mem", "environ"):
            r = run_as(user, ["python3", "-c", "open('/proc/%d/%s', 'rb').read(1)" % (pid, f)])
            assert r.returncode != 0 and "Permission denied" in r.stderr, (user, f, r.returncode, r.stderr)
    limits = open("/proc/%d/limits" % pid).read()
    line = [l for l in limits.splitlines() if l.startswith("Max core file size")][0]
    assert line.split()[4:6] == ["0", "0"], line  # soft and hard, though started unlimited
    # A crash now leaves no core.
    os.kill(pid, signal.SIGABRT)
    p.wait(timeout=DEADLINE)
    assert p.returncode == -signal.SIGABRT, p.returncode
    assert not cores(), "zonegen left a core file: %s" % cores()


def test_the_same_crash_of_an_ordinary_process_does_leave_a_core():
    # The control: started the same way (user, limit, directory), a process that does not
    # turn dumping off is readable by its user and, where the kernel writes cores as files
    # in the working directory, leaves one.
    p = start_as_a(["sleep", "300"])
    wait_for(lambda: os.path.exists("/proc/%d/comm" % p.pid) and "sleep" in open("/proc/%d/comm" % p.pid).read(), "sleep")
    assert os.stat("/proc/%d/environ" % p.pid).st_uid == ensure_user("zgtest-a")[0], "the control is not dumpable"
    r = run_as("zgtest-a", ["python3", "-c", "open('/proc/%d/mem', 'rb')" % p.pid])
    assert r.returncode == 0, r.stderr
    os.kill(p.pid, signal.SIGABRT)
    p.wait(timeout=DEADLINE)
    if plain_core_pattern():
        wait_for(lambda: cores(), "the control process's core file")
        for c in cores():
            os.remove(os.path.join(world["cwd"], c))
    else:
        print("note: core_pattern is %r: cores do not go to the working directory; the /proc checks "
              "are the proof" % open("/proc/sys/kernel/core_pattern").read().strip())


if __name__ == "__main__":
    harness.main(globals(), WORK, tests=[
        test_a_waiting_plan_holding_the_api_key_is_closed_to_its_own_user_and_leaves_no_core,
        test_the_same_crash_of_an_ordinary_process_does_leave_a_core])
