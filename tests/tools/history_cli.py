#!/usr/bin/env python3
"""`zonegen history` on journal files written here by hand (the format README's "Journal and
history" describes), and `--journal` on every command; no servers. Usage:
  history_cli.py ZONEGEN SOURCE_DIR WORKDIR"""
import json, os, shutil, subprocess, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
from harness import collect, run_each  # noqa: E402

ZG, SRC, WORK = sys.argv[1], sys.argv[2], os.path.abspath(sys.argv[3])
ENV = dict(os.environ, SOURCE_DATE_EPOCH="1795833600")
ENV.pop("PDNS_API_KEY", None)
ENV.pop("ZONEGEN_ACTOR", None)

IDN = "例え.jp"
IDN_A = "xn--r8jz45g.jp."


def zg(*args):
    r = subprocess.run([ZG, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV,
                       cwd=SRC, timeout=120)
    r.out, r.err = r.stdout.decode(), r.stderr.decode()
    return r


def path(*parts):
    return os.path.join(WORK, *parts)


def intent(id_, zone, command="apply", user="alice", actor=None, steps=None, time="2026-12-07T01:00:00Z"):
    return {"id": id_, "event": "intent", "time": time, "user": user, "actor": actor,
            "command": command, "zone": zone, "target": "PowerDNS http://127.0.0.1:8081",
            "steps": steps if steps is not None else ["+ www.%s 3600 A 192.0.2.10" % zone],
            "before": {"rrsets": []}}


def completion(id_, event, result=None, time="2026-12-07T01:00:05Z"):
    return {"id": id_, "event": event, "time": time, "result": result}


ID1, ID2, ID3, ID4, ID5 = ("20261207T010000.000001Z-0a0b0c0d0001", "20261207T020000.000001Z-0a0b0c0d0002",
                           "20261207T030000.000001Z-0a0b0c0d0003", "20261207T040000.000001Z-0a0b0c0d0004",
                           "20261207T050000.000001Z-0a0b0c0d0005")


def journal(name="journal.jsonl", torn=True):
    """example.com: done, failed, interrupted, open (ID1..ID4, in that order, with a line of
    another zone and a torn line between them); the IDN zone: one entry (ID5)."""
    records = [
        intent(ID1, "example.com.", steps=[{"description": "create zone example.com."},
                                           "+ example.com. 3600 A 192.0.2.10"]),
        completion(ID1, "done", {"applied": True, "serial_after": 2026120701}),
        intent(ID5, IDN_A, actor="panel-op-17"),
        intent("20261207T015000.000001Z-0a0b0c0d0009", "example.net."),
        intent(ID2, "Example.COM", command="apply --plan"),
        completion(ID2, "failed", {"error": {"kind": "backend", "message": "HTTP 500 from PowerDNS"}}),
        completion(ID5, "done", {"applied": True}),
        intent(ID3, "example.com.", command="batch apply", user="bob"),
        completion(ID3, "interrupted", None, time="2026-12-07T04:00:00Z"),
        intent(ID4, "example.com.", command="rollback", actor="op\x1b[31m"),
    ]
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records[:8])
    if torn:
        text += '{"id": "20261207T035959.000001Z-0a0b0c0d0008", "event": "inte\n'
    text += "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records[8:])
    p = path(name)
    with open(p, "w", encoding="utf-8") as f:
        f.write(text)
    os.chmod(p, 0o600)
    return p


def profile_with(extra):
    p = path("profile-%d.yaml" % abs(hash(extra)))
    base = zg("profile").out
    with open(p, "w") as f:
        f.write(base + "\n" + extra + "\n")
    return p


def test_json_lists_the_zones_entries_oldest_first_with_their_status():
    j = journal()
    r = zg("history", "example.com", "--journal", j, "--format", "json")
    assert r.returncode == 0, (r.returncode, r.err)
    entries = json.loads(r.out)  # stdout is the JSON document alone
    assert [e["id"] for e in entries] == [ID1, ID2, ID3, ID4], entries
    assert [e["status"] for e in entries] == ["done", "failed", "interrupted", "open"], entries
    for e in entries:
        for k in ("id", "time", "user", "actor", "command", "target", "status", "steps", "result"):
            assert k in e, (k, e)
    assert entries[0]["result"] == {"applied": True, "serial_after": 2026120701}, entries[0]
    assert entries[0]["finished"] == "2026-12-07T01:00:05Z", entries[0]
    assert entries[1]["command"] == "apply --plan" and entries[1]["result"]["error"]["kind"] == "backend"
    assert entries[2]["user"] == "bob" and entries[2]["result"] is None
    assert entries[3]["result"] is None and entries[3]["finished"] is None
    # The torn line is skipped with a warning naming its line, never fatal.
    assert "line 9" in r.err and "skipped" in r.err, r.err


def test_zone_as_typed_case_trailing_dot_and_idn():
    j = journal()
    ids = []
    for z in ("EXAMPLE.com.", "example.COM", IDN, IDN_A, "例え.JP."):
        r = zg("history", z, "--journal", j, "--format", "json")
        assert r.returncode == 0, (z, r.returncode, r.err)
        ids.append([e["id"] for e in json.loads(r.out)])
    assert ids[0] == ids[1] == [ID1, ID2, ID3, ID4], ids
    assert ids[2] == ids[3] == ids[4] == [ID5], ids
    r = zg("history", "exa mple..com", "--journal", j)
    assert r.returncode == 2 and "ZONE" in r.err, (r.returncode, r.err)


def test_text_one_line_per_entry_and_its_steps_indented():
    j = journal()
    r = zg("history", "example.com", "--journal", j)
    assert r.returncode == 0, (r.returncode, r.err)
    lines = r.out.splitlines()
    heads = [l for l in lines if not l.startswith("    ")]
    assert len(heads) == 4, r.out
    for head, id_, status in zip(heads, (ID1, ID2, ID3, ID4), ("done", "failed", "interrupted", "open")):
        assert id_ in head and ("  %s  " % status) in head, (head, id_, status)
    assert heads[0].startswith("2026-12-07T01:00:00Z  "), heads[0]
    assert "by alice" in heads[0] and "PowerDNS http://127.0.0.1:8081" in heads[0], heads[0]
    first = lines[lines.index(heads[0]) + 1:lines.index(heads[1])]
    assert first == ["    create zone example.com.", "    + example.com. 3600 A 192.0.2.10"], first
    assert "    failed: HTTP 500 from PowerDNS" in lines, r.out
    # A control character from the file never reaches the terminal.
    assert "\x1b" not in r.out and "op\\x1B[31m" in r.out, r.out
    r = zg("history", IDN, "--journal", j)
    assert "for panel-op-17" in r.out, r.out


def test_no_journal_configured_is_a_usage_error_naming_both_ways():
    r = zg("history", "example.com")
    assert r.returncode == 2, (r.returncode, r.err)
    assert "--journal" in r.err and "journal:" in r.err and "profile" in r.err, r.err
    r = zg("history", "example.com", "--format", "json")
    assert r.returncode == 2
    err = json.loads(r.out)["error"]
    assert err["kind"] == "usage" and "--journal" in err["message"], err


def test_missing_journal_file_is_an_empty_history():
    missing = path("never-written.jsonl")
    r = zg("history", "example.com", "--journal", missing, "--format", "json")
    assert r.returncode == 0 and json.loads(r.out) == [], (r.returncode, r.out, r.err)
    r = zg("history", "example.com", "--journal", missing)
    assert r.returncode == 0 and "no entries for example.com." in r.out, (r.out, r.err)
    assert not os.path.exists(missing)
    # A zone the journal never saw: empty too.
    r = zg("history", "example.org", "--journal", journal(), "--format", "json")
    assert r.returncode == 0 and json.loads(r.out) == [], r.out


def test_profile_journal_and_the_option_overriding_it():
    j = journal("from-profile.jsonl")
    other = journal("other.jsonl", torn=False)
    with open(other, "w") as f:
        f.write(json.dumps(intent(ID4, "example.com.")) + "\n")
    prof = profile_with("journal: " + j)
    r = zg("history", "example.com", "--profile", prof, "--format", "json")
    assert r.returncode == 0 and len(json.loads(r.out)) == 4, (r.returncode, r.out, r.err)
    r = zg("history", "example.com", "--profile", prof, "--journal", other, "--format", "json")
    assert r.returncode == 0 and [e["id"] for e in json.loads(r.out)] == [ID4], r.out
    # A relative journal in a profile is refused, naming the key.
    r = zg("history", "example.com", "--profile", profile_with("journal: journal.jsonl"))
    assert r.returncode == 2 and "journal" in r.err, (r.returncode, r.err)
    r = zg("history", "example.com", "--profile", profile_with("journal: %s\njournal_group: no-such-group-zonegen" % j))
    assert r.returncode == 2 and "journal_group" in r.err and "no-such-group-zonegen" in r.err, r.err


def test_refused_journal_files():
    j = journal("shared.jsonl")
    link = path("link.jsonl")
    os.symlink(j, link)
    r = zg("history", "example.com", "--journal", link)
    assert r.returncode == 2 and "symbolic link" in r.err, (r.returncode, r.err)
    os.chmod(j, 0o602)
    r = zg("history", "example.com", "--journal", j, "--format", "json")
    assert r.returncode == 2 and "writable by others" in json.loads(r.out)["error"]["message"], r.out
    r = zg("history", "example.com", "--journal", WORK)
    assert r.returncode == 2 and "not a regular file" in r.err, (r.returncode, r.err)


def test_every_command_accepts_journal():
    j = path("accepted.jsonl")
    spec = os.path.join(SRC, "examples", "a-transfer.yaml")
    zone = path("a.zone")
    assert zg("generate", spec, "-o", zone, "--journal", j).returncode == 0
    for cmd in (["generate", spec], ["validate", zone], ["instructions", spec], ["profile"],
                ["checks"], ["diff", zone, zone], ["import", zone], ["plan", spec, "--target", zone],
                ["batch", spec, "--action", "generate"]):
        r = zg(*cmd, "--journal", j)
        assert r.returncode == 0, (cmd, r.returncode, r.err)
    assert not os.path.exists(j)  # none of these writes it
    for cmd in ("apply", "batch", "history", "plan", "verify"):
        assert "--journal" in zg(cmd, "--help").out, cmd


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    tests = collect(globals())
    failed = run_each(tests)
    print("%d passed, %d failed" % (len(tests) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
