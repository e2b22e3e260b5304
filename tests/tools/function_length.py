#!/usr/bin/env python3
"""No function in zonegen/, backends/ or validators/ is longer than LIMIT lines, except
those the allow-list names, and those only up to the length it gives them (so the list can
only shrink: a listed function that grows fails, one that is now short enough or gone must
leave the list).

A function's length is the lines from the start of its declaration (its template line, if
any) to its closing brace. The scan is a brace
matcher over the .cpp files with comments, string and character literals (raw strings
too) and preprocessor lines blanked out: a block whose head (the text since the last `;`,
`{` or `}` at its level) has a parameter list is a function; namespaces and class bodies
are looked into; anything else at namespace or class level (an initialiser, an enum) is
data. Lambdas and local classes count toward the function that holds them.

Usage: function_length.py SOURCE_DIR [--list]   (--list: every function over the limit)"""
import os
import re
import sys

LIMIT = 120
DIRS = ("zonegen", "backends", "validators")
ALLOW = os.path.join("tests", "tools", "long_functions.txt")


def blank(text):
    """The text with comments, literals and preprocessor lines replaced by spaces
    (newlines kept, so line numbers hold)."""
    out = []
    i, n = 0, len(text)
    line_start = True
    while i < n:
        c = text[i]
        if line_start and c == "#":  # a preprocessor line, with its continuations
            j = i
            while j < n and not (text[j] == "\n" and text[j - 1] != "\\"):
                j += 1
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
            continue
        if c in " \t":
            out.append(c)
            i += 1
            continue
        line_start = c == "\n"
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == "R" and re.match(r'R"([^()\\\s]{0,16})\(', text[i:i + 20]) and \
                not (i and (text[i - 1].isalnum() or text[i - 1] == "_")):
            delim = re.match(r'R"([^()\\\s]{0,16})\(', text[i:i + 20]).group(1)
            j = text.find(")" + delim + '"', i)
            j = n if j < 0 else j + len(delim) + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c in "\"'":
            if c == "'" and i and text[i - 1].isalnum():  # a digit separator: 1'000
                out.append(" ")
                i += 1
                continue
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(" " * (j - i))
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def close_of(code, i, open_c, close_c):
    """The index just past the bracket matching the one at `i`."""
    depth = 0
    for j in range(i, len(code)):
        if code[j] == open_c:
            depth += 1
        elif code[j] == close_c:
            depth -= 1
            if depth == 0:
                return j + 1
    return len(code)


def name_of(head):
    """The function's name: what stands before the head's first top-level '('."""
    m = re.search(r"((?:[A-Za-z_]\w*\s*::\s*)*~?(?:operator\s*(?:\(\)|[^\s(]+)|[A-Za-z_]\w*))\s*"
                  r"(?:<[^()]*>)?\s*\(", head)
    return re.sub(r"\s+", "", m.group(1)) if m else None


def is_function_head(head):
    """A parameter list, then only what may follow one before the body."""
    h = head.strip()
    if "(" not in h or re.match(r"(namespace|class|struct|union|enum)\b", h):
        return False
    before = re.sub(r"\boperator\s*\S*", "", h.split("(", 1)[0])
    if re.search(r"(^|[^=!<>])=([^=]|$)", before):
        return False  # `x = f(...) {`: an initialiser
    return name_of(h) is not None


def scan(code, start, end, scope, found):
    """Records each function in code[start:end] (namespace or class level) as
    (qualified name, first line, last line)."""
    i, head_start = start, start
    while i < end:
        c = code[i]
        if c in ";}":
            head_start = i + 1
            i += 1
        elif c == "(":
            i = close_of(code, i, "(", ")")
        elif c == "{":
            head = code[head_start:i]
            h = " ".join(head.split())
            stripped = h.strip()
            body_end = close_of(code, i, "{", "}")
            if re.match(r"(inline\s+)?namespace\b|extern\s*$", stripped) or stripped in ("", "extern"):
                scan(code, i + 1, body_end - 1, scope, found)
            elif re.match(r"(template\s*<.*>\s*)?(class|struct|union)\b", stripped) and "(" not in stripped:
                m = re.match(r"(?:template\s*<.*>\s*)?(?:class|struct|union)\s+(?:\[\[[^]]*\]\]\s*)?(\w+)", stripped)
                scan(code, i + 1, body_end - 1, scope + ([m.group(1)] if m else []), found)
            elif is_function_head(h) and re.search(r"\)\s*:(?!:)", h) and not re.search(r"[)}]\s*$", h):
                # A constructor's initialiser list: `x{...}` is an initialiser, not the body.
                i = body_end
                continue
            elif is_function_head(h):
                lead = re.match(r"\s*(?:(?:public|private|protected)\s*:\s*)*", head).end()
                first = code.count("\n", 0, head_start + lead)
                name = name_of(h)
                found.append(("::".join(scope + [name]), first + 1, code.count("\n", 0, body_end - 1) + 1))
            i = body_end
            head_start = i
        else:
            i += 1


def functions(path):
    code = blank(open(path, encoding="utf-8").read())
    found = []
    scan(code, 0, len(code), [], found)
    return found


def measure(src):
    """{(path, name): [lengths]} for every function of every scanned .cpp file."""
    out = {}
    for d in DIRS:
        for root, _, files in os.walk(os.path.join(src, d)):
            for f in sorted(files):
                if not f.endswith(".cpp"):
                    continue
                path = os.path.join(root, f)
                rel = os.path.relpath(path, src)
                for name, first, last in functions(path):
                    out.setdefault((rel, name), []).append(last - first + 1)
    return out


def read_allow(src):
    if not os.path.exists(os.path.join(src, ALLOW)):
        sys.exit("%s: no such file under %s" % (ALLOW, src))
    allow = {}
    for n, line in enumerate(open(os.path.join(src, ALLOW), encoding="utf-8"), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) != 3 or not parts[2].isdigit():
            sys.exit("%s:%d: want 'PATH FUNCTION LINES', got %r" % (ALLOW, n, line))
        allow[(parts[0], parts[1])] = int(parts[2])
    return allow


# The scanner on the constructs that could fool it: what it must find, with each length.
SELF_TEST = r'''#include <x>
#define BRACE {
namespace a { namespace {
// void commented_out() {
const char* s = "}{";  char c = '{'; int n = 1'000;
auto raw = R"x(
void in_a_raw_string() { }
)x";
struct S : Base {
    S(int x) : a{x}, b(x) {
        f({1, 2});
    }
  public:
    bool operator==(const S& o) const { return a == o.a; }
    int a, b;
};
enum class E { one, two };
constexpr int table[] = {1, 2};
template <typename T>
T twice(T t) {
    auto l = [](int) { return '}'; };
    /* } */
    return t + t;
}
}  // namespace
}  // namespace a
int S::get() const
{
    return 1;
}
'''
SELF_TEST_EXPECT = [("S::S", 3), ("S::operator==", 1), ("twice", 6), ("S::get", 4)]


def self_test():
    code = blank(SELF_TEST)
    found = []
    scan(code, 0, len(code), [], found)
    got = [(name, last - first + 1) for name, first, last in found]
    if got != SELF_TEST_EXPECT:
        sys.exit("the scanner is broken: found %r, want %r" % (got, SELF_TEST_EXPECT))


def main():
    src = sys.argv[1]
    self_test()
    lengths = measure(src)
    if "--list" in sys.argv:
        for (path, name), ls in sorted(lengths.items()):
            for l in ls:
                if l > LIMIT:
                    print(path, name, l)
        return 0
    allow = read_allow(src)
    failures, notes = [], []
    for (path, name), ls in sorted(lengths.items()):
        longest = max(ls)
        if longest <= LIMIT:
            continue
        cap = allow.get((path, name))
        if cap is None:
            failures.append("%s: %s is %d lines (limit %d): split it at its seams" % (path, name, longest, LIMIT))
        elif longest > cap:
            failures.append("%s: %s grew to %d lines (%s allows %d, and only less)" % (path, name, longest, ALLOW, cap))
        elif longest < cap:
            notes.append("%s: %s is down to %d lines: lower its entry in %s (%d)" % (path, name, longest, ALLOW, cap))
    for (path, name), cap in sorted(allow.items()):
        ls = lengths.get((path, name))
        if not ls:
            failures.append("%s: %s is listed in %s but no longer exists: remove the entry" % (path, name, ALLOW))
        elif max(ls) <= LIMIT:
            failures.append("%s: %s is %d lines now, within the limit: remove its entry from %s" % (path, name, max(ls), ALLOW))
    for n in notes:
        print("note:", n)
    for f in failures:
        print("FAIL:", f)
    total = sum(len(v) for v in lengths.values())
    if total < 100:
        failures.append("only %d functions found under %s: is %s the source directory?" % (total, ", ".join(DIRS), src))
    print("%d functions in %s; %d over %d lines allowed by %s; %d failures" %
          (total, ", ".join(DIRS), len(allow), LIMIT, ALLOW, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
