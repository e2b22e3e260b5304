"""Two unprivileged local users for the tests about what another user on the same host can
do (a planted module, a symlink in a shared directory, a secret file of someone else's).

They need root (CI runs as root): creating the users and switching to them. Without root,
or when a user cannot be made, require_root() fails the test loudly; nothing is skipped."""
import os, pwd, shutil, subprocess, sys, tempfile

USERS = ("zgtest-a", "zgtest-b")


def require_root():
    if os.geteuid() != 0:
        sys.exit("FAIL: this test runs commands as two unprivileged users and needs root "
                 "(CI runs as root); run it as root")


def ensure_user(name):
    """The (uid, gid) of NAME, creating it (a system user without a home) if it is missing."""
    require_root()
    try:
        p = pwd.getpwnam(name)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                        "--user-group", name], check=True)
        p = pwd.getpwnam(name)
    return p.pw_uid, p.pw_gid


def as_user_argv(name, argv):
    """ARGV run as NAME (its own group only, no supplementary groups)."""
    uid, gid = ensure_user(name)
    return ["setpriv", "--reuid=%d" % uid, "--regid=%d" % gid, "--clear-groups", "--", *argv]


def run_as(name, argv, **kw):
    kw.setdefault("capture_output", True)
    kw.setdefault("text", True)
    return subprocess.run(as_user_argv(name, argv), **kw)


def public_dir(prefix="zg-users-"):
    """A fresh directory every user can enter and read (mode 0755), owned by root."""
    d = tempfile.mkdtemp(prefix=prefix)
    os.chmod(d, 0o755)
    return d


def public_copy(binary, where=None):
    """A copy of BINARY that the test users can run (the build tree may not be reachable
    for them)."""
    where = where or public_dir()
    dst = os.path.join(where, os.path.basename(binary))
    shutil.copy2(binary, dst)
    os.chmod(dst, 0o755)
    return dst
