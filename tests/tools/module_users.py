#!/usr/bin/env python3
"""Issue 14, item 3: another local user's code must never run as the HTTP module (which
receives the PowerDNS API key). Two unprivileged users: A runs zonegen, B plants modules.
A planted module's constructor appends a byte to a marker file, so every load is counted.

Reproduced on the old loader (stat, then dlopen by name; only "other write" refused; the
build tree compiled in as a fallback), built from the commit before the change and run
through this script, three times: B's group-writable module was loaded every time; B's
symbolic-link race in a group-writable directory loaded the planted module in 7, 6 and 1 of
300 runs; the rename race in A's own directory loaded the world-writable file in 7, 5 and
23 of 300; the symbolic link and the program copied away from its module were accepted (the
latter loading the build tree's module). A module owned by B was refused before too (the
guard stays). All pass now, the races with no load in any run.

No server is started: the module is loaded on the first PowerDNS request, which goes to a
closed port on 127.0.0.1 (exit 3, "connection refused") once the module is in.
Usage: module_users.py ZONEGEN SOURCE_DIR WORKDIR (root; CI runs as root)"""
import os, shutil, subprocess, sys, time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
from harness import collect, run_each  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import local_users as lu  # noqa: E402

ZG, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
MODULE = os.path.join(os.path.dirname(os.path.abspath(ZG)), "zonegen-http.so")
A, B = lu.USERS
# The plain pass proves the races with 300 runs each; under the sanitizers (their *SAN_OPTIONS
# set, as scripts/test.sh does) each run takes ~10 times longer and the point is the
# loader's memory, so fewer.
RUNS = 60 if any(k.endswith("SAN_OPTIONS") for k in os.environ) else 300
CONNECTED = "connection refused or unreachable"  # the module was loaded and used

PLANTED_C = r"""
#include <fcntl.h>
#include <unistd.h>
__attribute__((constructor)) static void planted(void) {
    int fd = open(MARKER, O_WRONLY | O_CREAT | O_APPEND, 0666);
    if (fd >= 0) { (void)!write(fd, "x", 1); close(fd); }
}
"""

ROOT = None


def user_env():
    """A small environment for the users' commands; the sanitizer settings pass through."""
    env = {"PATH": "/usr/bin:/bin"}
    env.update({k: v for k, v in os.environ.items() if k.endswith("SAN_OPTIONS")})
    return env


def path(*parts):
    return os.path.join(ROOT, *parts)


def chown_to(p, user):
    uid, gid = lu.ensure_user(user)
    os.chown(p, uid, gid, follow_symlinks=False)


def planted_module(name):
    """A module of B's whose constructor counts its loads in marker/NAME."""
    src, so = path("planted-%s.c" % name), path("planted-%s.so" % name)
    marker = path("marker", name)
    with open(src, "w") as f:
        f.write(PLANTED_C)
    cc = shutil.which("cc") or shutil.which("gcc")
    assert cc, "FAIL: no C compiler to build the planted module"
    subprocess.run([cc, "-shared", "-fPIC", '-DMARKER="%s"' % marker, "-o", so, src], check=True)
    os.chmod(so, 0o755)
    chown_to(so, B)
    return so, marker


def loads(marker):
    return os.path.getsize(marker) if os.path.exists(marker) else 0


def layout(name, dir_owner="root", dir_group=None, dir_mode=0o755):
    """NAME/bin with a copy of zonegen (root's, 0755); bin's owner, group and mode as given."""
    d = path(name, "bin")
    os.makedirs(d)
    os.chmod(path(name), 0o755)
    zg = lu.public_copy(ZG, d)
    uid, gid = lu.ensure_user(dir_owner) if dir_owner != "root" else (0, 0)
    if dir_group:
        gid = lu.ensure_user(dir_group)[1]
    os.chown(d, uid, gid)
    os.chmod(d, dir_mode)
    return zg, d


def good_module(where, owner="root", mode=0o644):
    shutil.copyfile(MODULE, where)
    os.chmod(where, mode)
    if owner != "root":
        chown_to(where, owner)
    return where


def run_a(zg):
    """A's PowerDNS request: loads the module, then finds nothing listening."""
    env = dict(user_env(), PDNS_API_KEY="test-key-module")
    r = lu.run_as(A, [zg, "plan", path("spec.yaml"), "--pdns-url", "http://127.0.0.1:9"], env=env,
                  timeout=60)
    assert r.returncode == 3, (r.returncode, r.stdout, r.stderr)
    assert "test-key-module" not in r.stdout + r.stderr
    return r.stderr


def race(zg, swap_argv, swap_user, marker, refusal):
    """A runs zonegen RUNS times while SWAP_USER runs SWAP_ARGV (a loop until a stop file
    appears). Returns how often the module was loaded, and how often refused with REFUSAL."""
    stop = path("stop-" + os.path.basename(marker))
    p = subprocess.Popen(lu.as_user_argv(swap_user, [*swap_argv, stop]))
    loaded = refused = 0
    try:
        for _ in range(1000):  # the loop's first swap
            if os.path.lexists(swap_argv[3]):
                break
            time.sleep(0.01)
        assert os.path.lexists(swap_argv[3]), "the swapping loop did not start"
        for _ in range(RUNS):
            err = run_a(zg)
            if CONNECTED in err:
                loaded += 1
            else:
                assert refusal in err, err
                refused += 1
    finally:
        open(stop, "w").close()
        p.wait(timeout=60)
    assert p.returncode == 0, "the swapping loop failed"
    assert loads(marker) == 0, "the planted module was loaded in %d of %d runs" % (loads(marker), RUNS)
    return loaded, refused


SWAP_LINKS = r"""
import os, sys
path, first, second, stop = sys.argv[1:5]
tmp = path + ".swap"
while not os.path.exists(stop):
    for target in (first, second):
        os.symlink(target, tmp)
        os.rename(tmp, path)
"""

SWAP_FILES = r"""
import os, sys
path, first, second, stop = sys.argv[1:5]
tmp = path + ".swap"
while not os.path.exists(stop):
    for target in (first, second):
        os.link(target, tmp)
        os.rename(tmp, path)
"""


def test_a_trusted_module_is_loaded_beside_the_program_and_relocated():
    zg, d = layout("good")
    good_module(os.path.join(d, "zonegen-http.so"))
    assert CONNECTED in run_a(zg)
    # A's own module in A's own directory: the user may run their own code.
    zg, d = layout("own", dir_owner=A)
    good_module(os.path.join(d, "zonegen-http.so"), owner=A)
    assert CONNECTED in run_a(zg)
    # PREFIX/bin/zonegen with PREFIX/LIBDIR/zonegen/zonegen-http.so (the second place named).
    zg, d = layout("reloc")
    err = run_a(zg)
    looked = err.split("(looked in ", 1)[1].rstrip().rstrip(")").split(", ")
    assert looked[0] == d, err
    rel = looked[1]
    assert rel.startswith(path("reloc") + "/"), err
    os.makedirs(rel)
    good_module(os.path.join(rel, "zonegen-http.so"))
    assert CONNECTED in run_a(zg)


def test_no_build_tree_fallback_in_the_program():
    # The old program also looked in the build tree it was compiled in, so a copy of it
    # anywhere (or an installed one) loaded whatever sits at that path now.
    zg, d = layout("alone")
    err = run_a(zg)
    assert "cannot load the HTTP module: no zonegen-http.so (looked in " + d in err, err
    assert os.path.dirname(os.path.abspath(ZG)) not in err, err


def test_group_writable_module_written_by_b_is_refused():
    planted, marker = planted_module("group-module")
    zg, d = layout("gmod")
    m = good_module(os.path.join(d, "zonegen-http.so"), mode=0o664)
    os.chown(m, 0, lu.ensure_user(B)[1])
    r = lu.run_as(B, ["cp", planted, m])  # B may write it: its group's write bit
    assert r.returncode == 0, r.stderr
    err = run_a(zg)
    assert loads(marker) == 0, "B's code was loaded"
    assert "cannot load the HTTP module: %s is writable by group or others (mode 0664): not loaded" % m in err, err


def test_group_writable_directory_and_bs_symlink_race_are_refused():
    # bin/ is root's but writable by B's group: B swaps zonegen-http.so between a link to the
    # trusted module and a link to its own, as fast as it can, while A runs zonegen.
    planted, marker = planted_module("group-dir-race")
    zg, d = layout("gdir", dir_group=B, dir_mode=0o775)
    good = good_module(path("gdir", "trusted.so"))
    swap = ["python3", "-c", SWAP_LINKS, os.path.join(d, "zonegen-http.so"), good, planted]
    refusal = ("cannot load the HTTP module: its directory %s is writable by group or others "
               "(mode 0775): not loaded" % d)
    loaded, refused = race(zg, swap, B, marker, refusal)
    assert loaded == 0 and refused == RUNS, (loaded, refused)


def test_the_module_checked_is_the_module_loaded():
    # In A's own trusted directory the name alternates (rename, never a moment without a
    # file) between A's trusted module and a world-writable file that B filled with its
    # code. Checks and load read the same descriptor: the world-writable one is refused each
    # time it is seen, and never loaded after the trusted one was checked.
    planted, marker = planted_module("rename-race")
    zg, d = layout("rename", dir_owner=A)
    good = good_module(path("rename", "bin", "trusted.so"), owner=A)
    bad = good_module(path("rename", "bin", "open.so"), owner=A, mode=0o666)
    os.chmod(bad, 0o666)
    r = lu.run_as(B, ["cp", planted, bad])
    assert r.returncode == 0, r.stderr
    swap = ["python3", "-c", SWAP_FILES, os.path.join(d, "zonegen-http.so"), good, bad]
    loaded, refused = race(zg, swap, A, marker, "is writable by group or others (mode 0666): not loaded")
    print("  rename race: %d loaded the trusted module, %d refused the other" % (loaded, refused))
    assert loaded > 0 and refused > 0, "the race did not alternate: %d/%d" % (loaded, refused)


def test_symlinked_module_or_directory_is_refused():
    zg, d = layout("link")
    good = good_module(path("link", "trusted.so"))
    os.symlink(good, os.path.join(d, "zonegen-http.so"))
    err = run_a(zg)
    assert "%s/zonegen-http.so is a symbolic link (not followed): not loaded" % d in err, err
    # The relocated place as a link to a directory.
    zg, d = layout("linkdir")
    err = run_a(zg)
    rel = err.split("(looked in ", 1)[1].split(", ")[1]
    os.makedirs(os.path.dirname(rel))
    os.makedirs(path("linkdir", "real"))
    good_module(path("linkdir", "real", "zonegen-http.so"))
    os.symlink(path("linkdir", "real"), rel)
    err = run_a(zg)
    assert "%s is a symbolic link (not followed): not loaded" % rel in err, err


def test_module_of_another_user_is_refused():
    planted, marker = planted_module("b-owned")
    zg, d = layout("bown")
    shutil.copy(planted, os.path.join(d, "zonegen-http.so"))
    chown_to(os.path.join(d, "zonegen-http.so"), B)
    uid_b = lu.ensure_user(B)[0]
    err = run_a(zg)
    assert loads(marker) == 0, "B's code was loaded"
    assert "is owned by uid %d, not by root or by this user: not loaded" % uid_b in err, err


def main():
    global ROOT
    lu.require_root()
    for u in lu.USERS:
        lu.ensure_user(u)
    assert os.path.exists(MODULE), "FAIL: no module beside " + ZG
    ROOT = lu.public_dir("zg-module-")
    try:
        os.makedirs(path("marker"))
        os.chmod(path("marker"), 0o777)
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
