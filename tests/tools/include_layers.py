#!/usr/bin/env python3
"""The include graph of zonegen/, backends/ and validators/ against its layers
(tests/include-layers.txt): no #include "..." from a lower layer to a higher one, except
the allow-list's entries, each with a reason, none stale; every file in a layer; the
private headers included by .cpp files only; no other header including ldns or httplib.
It first proves on a small made-up tree that it finds each kind of problem. Usage:
  include_layers.py SOURCE_DIR"""
import os, re, sys, tempfile

DIRS = ("zonegen", "backends", "validators")
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^">]+)[">]', re.M)
C_LIBRARIES = ("ldns/", "httplib.h")  # what no public header may include


def parse_layers(text):
    """(layers: [(name, [module or DIR/])], private: {module}, allow: {(from, to): why})."""
    directives, layers, private, allow = [], [], set(), {}
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line:
            continue
        if raw[0].isspace():
            if not directives:
                raise ValueError("a continuation line before any directive: " + raw)
            directives[-1] += " " + line.strip()
        else:
            directives.append(line)
    for d in directives:
        word, _, rest = d.partition(" ")
        if word == "layer":
            name, colon, modules = rest.partition(":")
            if not colon or not modules.split():
                raise ValueError("layer NAME: MODULE...: " + d)
            layers.append((name.strip(), modules.split()))
        elif word == "private":
            private.update(rest.split())
        elif word == "allow":
            edge, colon, why = rest.partition(":")
            frm, arrow, to = edge.partition("->")
            if not arrow or not colon or not why.strip():
                raise ValueError("allow FROM -> TO: WHY (the reason is required): " + d)
            allow[(frm.strip(), to.strip())] = why.strip()
        else:
            raise ValueError("unknown directive: " + d)
    return layers, private, allow


def sources(root):
    """Every .hpp and .cpp file under the checked directories, as paths relative to ROOT."""
    out = []
    for d in DIRS:
        base = os.path.join(root, d)
        for dirpath, _, files in os.walk(base):
            for f in sorted(files):
                if f.endswith((".hpp", ".cpp")):
                    out.append(os.path.relpath(os.path.join(dirpath, f), root))
    return sorted(out)


def module(path):
    return os.path.splitext(path)[0]


def check(root, layers_text):
    """The problems found (strings), and the numbers of files and includes looked at."""
    layers, private, allow = parse_layers(layers_text)
    problems = []
    files = sources(root)
    modules = {module(f) for f in files}

    def layer_of(mod):
        found = [i for i, (_, members) in enumerate(layers)
                 for m in members if mod == m or (m.endswith("/") and mod.startswith(m))]
        return found

    rank = {}
    for mod in sorted(modules):
        found = layer_of(mod)
        if not found:
            problems.append("%s is in no layer: give it one in tests/include-layers.txt" % mod)
        elif len(found) > 1:
            problems.append("%s is in %d layers" % (mod, len(found)))
        else:
            rank[mod] = found[0]
    for _, members in layers:
        for m in members:
            if not (m in modules or (m.endswith("/") and any(x.startswith(m) for x in modules))):
                problems.append("the layers name %s, which does not exist" % m)
    for p in private:
        if p not in modules:
            problems.append("the private header %s does not exist" % p)

    used, includes = set(), 0
    for f in files:
        text = open(os.path.join(root, f), encoding="utf-8").read()
        mod, header = module(f), f.endswith(".hpp")
        for kind, target in INCLUDE.findall(text):
            includes += 1
            if kind == "<":
                if header and mod not in private and target.startswith(C_LIBRARIES):
                    problems.append("%s includes <%s>: a header must not (a private header "
                                    "included by .cpp files only may)" % (f, target))
                continue
            to = module(target)
            if to not in rank or mod not in rank:
                continue  # outside the checked directories (or reported above)
            if to in private and header:
                problems.append("%s includes the private header %s: only .cpp files may" % (f, target))
            if rank[to] <= rank[mod]:
                continue
            if (mod, to) in allow:
                used.add((mod, to))
                continue
            problems.append("%s (layer %s) includes %s (layer %s), a higher layer"
                            % (f, layers[rank[mod]][0], target, layers[rank[to]][0]))
    for edge in sorted(set(allow) - used):
        problems.append("the allow-list's %s -> %s is no longer needed: remove it" % edge)
    return problems, len(files), includes, sorted(used)


def self_test():
    """The check finds what it is for, on a small tree made for it."""
    tree = {
        "zonegen/low.hpp": '#include "zonegen/high.hpp"\n',                 # goes up
        "zonegen/low.cpp": '#include "zonegen/low.hpp"\n',
        "zonegen/high.hpp": '#include "zonegen/low.hpp"\n#include "backends/priv.hpp"\n',  # private in a header
        "zonegen/loose.cpp": "\n",                                          # in no layer
        "backends/pub.hpp": "#include <ldns/ldns.h>\n",                     # ldns in a header
        "backends/priv.hpp": "#include <ldns/ldns.h>\n",                    # allowed: private
        "validators/v.cpp": '#include "zonegen/low.hpp"\n#include "backends/priv.hpp"\n',
    }
    layers = ("layer base: zonegen/low\nlayer top: zonegen/high validators/\n"
              "  backends/ zonegen/gone\nprivate backends/priv\n"
              "allow validators/v -> zonegen/high: stale\n")
    want = ["zonegen/loose is in no layer",
            "the layers name zonegen/gone, which does not exist",
            "zonegen/low.hpp (layer base) includes zonegen/high.hpp (layer top), a higher layer",
            "zonegen/high.hpp includes the private header backends/priv.hpp",
            "backends/pub.hpp includes <ldns/ldns.h>: a header must not",
            "the allow-list's validators/v -> zonegen/high is no longer needed"]
    with tempfile.TemporaryDirectory() as root:
        for path, text in tree.items():
            os.makedirs(os.path.dirname(os.path.join(root, path)), exist_ok=True)
            open(os.path.join(root, path), "w").write(text)
        problems, _, _, _ = check(root, layers)
        missed = [w for w in want if not any(p.startswith(w) for p in problems)]
        assert not missed, "the check missed: %s\nit found: %s" % (missed, problems)
        assert len(problems) == len(want), "unexpected problems: %s" % problems
        # The same tree with the upward include allowed: that problem goes, the entry is used.
        problems, _, _, used = check(root, layers + "allow zonegen/low -> zonegen/high: a test\n")
        assert ("zonegen/low", "zonegen/high") in used and len(problems) == len(want) - 1, problems
    for bad in ("layer base zonegen/low\n", "allow a -> b\n", "allow a -> b:\n", "lay x: y\n"):
        try:
            parse_layers(bad)
        except ValueError:
            continue
        raise AssertionError("accepted a malformed line: %r" % bad)


def main():
    root = sys.argv[1]
    self_test()
    problems, files, includes, allowed = check(root, open(os.path.join(root, "tests", "include-layers.txt")).read())
    for p in problems:
        print("FAIL " + p)
    print("%d files, %d includes: %d problems, %d allowed upward includes%s"
          % (files, includes, len(problems), len(allowed),
             "".join("\n  allowed: %s -> %s" % e for e in allowed)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
