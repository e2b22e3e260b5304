#!/usr/bin/env python3
"""Issue 14, item 7: in a directory another local user can reach, the atomic write of
`zonegen generate -o` must not give that user the new file. Two unprivileged users: A runs
zonegen, B prepares the output path (a symbolic link to a set-id, world-writable file of
B's; a file of B's) or replaces A's file afterwards.

Reproduced on the old write (the mode taken with stat(), through any symbolic link, set-id
bits included; any directory), built from the commit before the change and run through
this script: A's new zone file replaced B's link with mode 0777, writable by B (6777 was
set; the kernel cleared the set-id bits when A, not privileged, wrote the content: run by
root they stay, see the unit test AtomicFile.ReplacedFileKeepsItsModeButNoSetIdOrStickyBits);
in A's directory writable by B's group the file was written and B then replaced it. In the
sticky directory the old write failed too (exit 2, the kernel refusing the rename over B's
entry), with another message; A's own writes there are a guard. All pass now.
Usage: write_users.py ZONEGEN SOURCE_DIR WORKDIR (root; CI runs as root; WORKDIR unused:
the users' files live in a fresh directory both can reach)"""
import os, shutil, stat, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
from harness import collect, run_each  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import local_users as lu  # noqa: E402

ZG, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
A, B = lu.USERS
ROOT = None
ZGA = None  # the copy of zonegen the users run


def user_env():
    """A small environment for the users' commands; the sanitizer settings pass through."""
    env = {"PATH": "/usr/bin:/bin"}
    env.update({k: v for k, v in os.environ.items() if k.endswith("SAN_OPTIONS")})
    return env


def path(*parts):
    return os.path.join(ROOT, *parts)


def shared_dir(name, mode, owner="root", group=None):
    d = path(name)
    os.mkdir(d)
    uid, gid = lu.ensure_user(owner) if owner != "root" else (0, 0)
    if group:
        gid = lu.ensure_user(group)[1]
    os.chown(d, uid, gid)
    os.chmod(d, mode)
    return d


def as_b(*argv):
    r = lu.run_as(B, list(argv))
    assert r.returncode == 0, (argv, r.stderr)


def generate_as_a(out):
    r = lu.run_as(A, [ZGA, "generate", path("spec.yaml"), "-o", out], env=user_env())
    return r


def b_file(p, mode=0o6777, text="B's file\n"):
    """A file of B's at P, B's mode set by B itself."""
    as_b("sh", "-c", 'printf "%%s" "$1" > "$2" && chmod %o "$2"' % mode, "sh", text, p)
    return p


def assert_no_file_of_a_open_to_others(d):
    """Every file of A's in D: no set-id or sticky bit, not writable by group or others."""
    uid_a = lu.ensure_user(A)[0]
    for name in os.listdir(d):
        st = os.lstat(os.path.join(d, name))
        if st.st_uid == uid_a:
            assert stat.S_ISREG(st.st_mode), name
            assert st.st_mode & 0o7022 == 0, "%s: mode %o" % (name, st.st_mode & 0o7777)


def test_bs_link_in_a_directory_everyone_may_write_gives_b_nothing():
    d = shared_dir("open", 0o777)
    theirs = b_file(os.path.join(d, "theirs"))
    as_b("ln", "-s", theirs, os.path.join(d, "zone"))
    r = generate_as_a(os.path.join(d, "zone"))
    assert_no_file_of_a_open_to_others(d)
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert ("not written: its directory %s is writable by group or others without the sticky "
            "bit (mode 0777)" % d) in r.stderr, r.stderr
    assert os.path.islink(os.path.join(d, "zone"))
    assert open(theirs).read() == "B's file\n" and os.stat(theirs).st_mode & 0o7777 == 0o6777
    assert sorted(os.listdir(d)) == ["theirs", "zone"], os.listdir(d)


def test_directory_bs_group_may_write_is_refused():
    # A's own directory, but B's group may write it: B could replace the file at any time.
    d = shared_dir("group", 0o775, owner=A, group=B)
    out = os.path.join(d, "zone")
    r = generate_as_a(out)
    if r.returncode == 0:  # what the old write allowed: B now replaces A's zone file
        b_file(os.path.join(d, "b-zone"), 0o644, "$ORIGIN evil.\n")
        as_b("mv", "-f", os.path.join(d, "b-zone"), out)
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert ("not written: its directory %s is writable by group or others without the sticky "
            "bit (mode 0775)" % d) in r.stderr, r.stderr
    assert os.listdir(d) == [], os.listdir(d)


def test_sticky_shared_directory_bs_link_and_file_are_refused():
    d = shared_dir("sticky", 0o1777)
    theirs = b_file(os.path.join(d, "theirs"))
    as_b("ln", "-s", theirs, os.path.join(d, "zone"))
    r = generate_as_a(os.path.join(d, "zone"))
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert "%s/zone: is a symbolic link: not followed and not replaced" % d in r.stderr, r.stderr
    b_file(os.path.join(d, "zone2"), 0o666)
    r = generate_as_a(os.path.join(d, "zone2"))
    assert r.returncode == 2, (r.returncode, r.stderr)
    uid_b = lu.ensure_user(B)[0]
    assert "%s/zone2: belongs to another user (uid %d) in a directory others may write to: not replaced" % (d, uid_b) in r.stderr, r.stderr
    assert open(theirs).read() == "B's file\n" and os.stat(theirs).st_mode & 0o7777 == 0o6777
    assert open(os.path.join(d, "zone2")).read() == "B's file\n"
    assert sorted(os.listdir(d)) == ["theirs", "zone", "zone2"], os.listdir(d)
    assert_no_file_of_a_open_to_others(d)


def test_sticky_shared_directory_as_writes_are_as_alone():
    d = shared_dir("sticky-a", 0o1777)
    out = os.path.join(d, "zone")
    r = generate_as_a(out)
    assert r.returncode == 0, r.stderr
    st = os.lstat(out)
    assert st.st_uid == lu.ensure_user(A)[0] and st.st_mode & 0o7777 == 0o644, oct(st.st_mode)
    # A's own mode is kept, without set-id bits.
    r = lu.run_as(A, ["chmod", "6750", out])
    assert r.returncode == 0, r.stderr
    r = generate_as_a(out)
    assert r.returncode == 0, r.stderr
    assert os.lstat(out).st_mode & 0o7777 == 0o750, oct(os.lstat(out).st_mode)
    # B can neither replace nor remove it there (the sticky bit).
    b_file(os.path.join(d, "b-zone"), 0o644)
    r = lu.run_as(B, ["mv", "-f", os.path.join(d, "b-zone"), out])
    assert r.returncode != 0, "B replaced A's file"
    assert "$ORIGIN" in open(out).read() or "SOA" in open(out).read()
    assert_no_file_of_a_open_to_others(d)


def test_root_replaces_a_name_server_users_zone_file_keeping_its_owner():
    """A directory only root may write (as /etc/bind): root replaces B's zone file (as the
    name server's user's) and the file stays B's, with its own mode."""
    import subprocess
    d = shared_dir("root-only", 0o755)
    zone = os.path.join(d, "zone")
    open(zone, "w").write("B's file\n")
    uid_b, gid_b = lu.ensure_user(B)
    os.chown(zone, uid_b, gid_b)
    os.chmod(zone, 0o640)
    r = subprocess.run([ZGA, "generate", path("spec.yaml"), "-o", zone], capture_output=True, text=True,
                       env=user_env())
    assert r.returncode == 0, (r.returncode, r.stderr)
    st = os.lstat(zone)
    assert (st.st_uid, st.st_gid, st.st_mode & 0o7777) == (uid_b, gid_b, 0o640), (st.st_uid, st.st_gid, oct(st.st_mode))
    assert "SOA" in open(zone).read()
    assert sorted(os.listdir(d)) == ["zone"], os.listdir(d)


def main():
    global ROOT, ZGA
    lu.require_root()
    for u in lu.USERS:
        lu.ensure_user(u)
    os.umask(0o022)  # inherited by the users' commands
    ROOT = lu.public_dir("zg-write-")
    try:
        ZGA = lu.public_copy(ZG, path())
        shutil.copyfile(os.path.join(SRC, "examples", "a-transfer.yaml"), path("spec.yaml"))
        os.chmod(path("spec.yaml"), 0o644)
        tests = collect(globals())
        failed = run_each(tests)
        print("%d passed, %d failed" % (len(tests) - failed, failed))
        return 1 if failed else 0
    finally:
        shutil.rmtree(ROOT, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
