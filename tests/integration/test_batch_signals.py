#!/usr/bin/env python3
"""SIGINT and SIGTERM during a real `batch --action apply` against PowerDNS (primary and
secondary started here on loopback): the domains in flight finish, each gets its line, the
summary names the signal and the domains not started, the exit code is 128 + the signal,
and every zone is either whole (and NOTIFY sent) or untouched. Usage:
  test_batch_signals.py ZONEGEN SOURCE_DIR WORKDIR"""
import json, os, signal, subprocess, sys, threading

sys.path.insert(0, os.path.dirname(__file__))
from servers import API_KEY, soa_serial
import harness
from harness import CAPTURED, start_our_servers, stop_all, test_no_output_ever_holds_the_key

ZG, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
world = {}
ENV = dict(os.environ, PDNS_API_KEY=API_KEY, SOURCE_DATE_EPOCH="1795833600")


def setup():
    start_our_servers(world, ZG, WORK)


def teardown():
    stop_all(world, ("secondary", "primary"))


def specs(prefix, n):
    """n specs; the last two are the same domain (refused before any work)."""
    return "".join(json.dumps({"domain": "%s%03d-zonegen-test.com" % (prefix, i), "dns_pattern": "A",
                               "registrar": "customer",
                               "server": {"name": "sv.example.net", "ipv4": ["192.0.2.%d" % (i % 250 + 1)]}}) + "\n"
                   for i in list(range(n - 2)) + [n - 2, n - 2])


def interrupted_batch(prefix, sig, total=200, lines_before=10):
    """Starts a batch apply, sends `sig` once `lines_before` domains have finished, and
    returns (exit code, domain lines, summary, stderr)."""
    jsonl = os.path.join(WORK, prefix + ".jsonl")
    open(jsonl, "w").write(specs(prefix, total))
    errfile = os.path.join(WORK, prefix + ".stderr")
    # stderr to a file and stdout read through one buffered reader only: communicate() would
    # read the pipe's descriptor directly and lose lines readline() had already buffered.
    proc = subprocess.Popen([ZG, "batch", "-", "--action", "apply", "--yes", "--jobs", "4", "--profile", world["profile"]],
                            stdin=open(jsonl), stdout=subprocess.PIPE, stderr=open(errfile, "w"), text=True,
                            cwd=SRC, env=ENV)
    killer = threading.Timer(300, proc.kill)  # a hung batch fails the test, not the suite
    killer.start()
    lines = []
    try:
        while len(lines) < lines_before:
            l = proc.stdout.readline()
            assert l, "the batch ended before the signal could be sent"
            lines.append(l)
        proc.send_signal(sig)
        rest = proc.stdout.read()
        proc.wait()
    finally:
        killer.cancel()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    err = open(errfile).read()
    CAPTURED.append("".join(lines) + rest + err)
    docs = [json.loads(l) for l in lines + rest.splitlines() if l.strip()]
    assert docs and "summary" in docs[-1], "no summary:\n" + "".join(lines)[-2000:] + rest[-2000:] + err[-2000:]
    return proc.returncode, docs[:-1], docs[-1]["summary"], err


def check_whole(prefix, total, done, not_started):
    """Every started domain is fully applied (a plan finds nothing to do), every other one
    untouched (no zone)."""
    r = subprocess.run([ZG, "batch", "-", "--action", "plan", "--jobs", "4", "--profile", world["profile"]],
                       input=specs(prefix, total), capture_output=True, text=True, cwd=SRC, env=ENV, timeout=600)
    CAPTURED.append(r.stdout + r.stderr)
    plans = {x["spec"]: x for x in map(json.loads, r.stdout.splitlines()) if "summary" not in x}
    assert len(plans) == total, r.stdout[-2000:] + r.stderr[-2000:]
    for spec, x in plans.items():
        if "error" in x:  # the duplicate pair, refused again
            assert x["exit"] == 2, x
            continue
        assert x["exit"] == 0, x
        if spec in done:
            assert x["plan"]["exists"] and not x["plan"]["changes"], "half applied: %s" % json.dumps(x)[:2000]
        else:
            assert spec in not_started and not x["plan"]["exists"], "touched although not started: %s" % spec


def check_interrupted(prefix, sig, want_rc):
    total = 200
    rc, lines, summary, err = interrupted_batch(prefix, sig, total)
    assert rc == want_rc, (rc, summary, err[-2000:])
    name = "SIGINT" if sig == signal.SIGINT else "SIGTERM"
    assert summary["interrupted"] == name, summary
    assert name + ": finishing the domains in flight" in err, err[-2000:]
    not_started = summary.get("not_started", [])
    assert not_started, "the signal came too late to stop anything: %s" % summary
    done = {x["spec"] for x in lines}
    assert len(done) == len(lines) and not done & set(not_started), "a domain is both done and not started"
    assert len(lines) + len(not_started) == total == summary["total"], (len(lines), len(not_started), summary)
    # The duplicate pair, refused before any work, has its lines although never reached.
    dupes = [x for x in lines if x["exit"]]
    assert [x["spec"] for x in dupes] == ["<stdin>:%d" % (total - 1), "<stdin>:%d" % total], dupes
    assert all(x["exit"] == 2 and "appears 2 times" in x["error"]["message"] for x in dupes), dupes
    applied = [x for x in lines if not x["exit"]]
    assert summary["ok"] == len(applied) and summary["failed"] == 2, summary
    for x in applied:
        a = x["apply"]
        assert a["applied"] is True and a["notified"], x
    print("  %s: %d domains done (%d read before the signal), %d not started"
          % (name, len(applied), 10, len(not_started)), flush=True)
    check_whole(prefix, total, done, set(not_started))
    # The applied zones are served (a sample).
    p = world["primary"]
    for x in applied[:5]:
        assert soa_serial(p.dns_port, x["zone"]) == x["apply"]["serial_after"], x


def test_sigint_during_batch_apply_finishes_in_flight_domains_and_exits_130():
    check_interrupted("sigint", signal.SIGINT, 130)


def test_sigterm_during_batch_apply_finishes_in_flight_domains_and_exits_143():
    check_interrupted("sigterm", signal.SIGTERM, 143)


if __name__ == "__main__":
    harness.main(globals(), WORK)
