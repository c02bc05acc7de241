"""sqlsrc.py: the SQL text of a store statement, read from store/*.c.

The report benchmark explains the very statements mediawatch prepares, so
it reads them from the source at run time instead of keeping copies that
could drift: `static const char NAME[] = ...;` and `#define NAME ...`,
each a concatenation of C string literals and earlier macros.
"""
import re

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[A-Za-z_]\w*')
_ESC = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "'": "'",
        "0": "\0"}


def _strip_comments(text):
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        elif text.startswith("/*", i):
            i = text.index("*/", i + 2) + 2
            out.append(" ")
        elif text.startswith("//", i):
            i = text.find("\n", i)
            i = n if i < 0 else i
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _unescape(lit):
    body, out, i = lit[1:-1], [], 0
    while i < len(body):
        if body[i] == "\\":
            out.append(_ESC.get(body[i + 1], body[i + 1]))
            i += 2
        else:
            out.append(body[i])
            i += 1
    return "".join(out)


def _value(tokens, macros, where):
    parts = []
    for tok in tokens:
        if tok.startswith('"'):
            parts.append(_unescape(tok))
        elif tok in macros:
            parts.append(macros[tok])
        else:
            raise ValueError("%s: cannot resolve %s" % (where, tok))
    return "".join(parts)


def statements(path):
    """Every string constant and string macro of a C file, by name."""
    with open(path, encoding="utf-8") as f:
        text = _strip_comments(f.read())
    found = {}
    define = re.compile(r'^[ \t]*#define[ \t]+([A-Za-z_]\w*)[ \t]+((?:.*\\\n)*.*)$',
                        re.M)
    static = re.compile(r'static\s+const\s+char\s+([A-Za-z_]\w*)\s*\[\]\s*=\s*'
                        r'((?:"(?:[^"\\]|\\.)*"|[^;"])*);')
    items = [(m.start(), m.group(1), m.group(2).replace("\\\n", " "), "define")
             for m in define.finditer(text)]
    items += [(m.start(), m.group(1), m.group(2), "static")
              for m in static.finditer(text)]
    for _, name, body, kind in sorted(items):
        tokens = _TOKEN.findall(body)
        if kind == "define" and (not tokens or not tokens[0].startswith('"')
                                 and tokens[0] not in found):
            continue  # a numeric or other non-string macro
        try:
            found[name] = _value(tokens, found, "%s %s" % (path, name))
        except ValueError:
            if kind == "static":
                raise
    return found


def sql(path, name):
    table = statements(path)
    if name not in table:
        raise KeyError("%s: no statement %s (renamed? update bench/report)"
                       % (path, name))
    return table[name]
