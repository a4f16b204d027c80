#!/usr/bin/env python3
"""Renders a scripts/deploy template: `render.py TEMPLATE OUT NAME=VALUE...`.

Replaces each @NAME@ on lines that are not comments (so the templates' header comments keep naming the
placeholders). A placeholder alone on its line takes a multi-line VALUE (one `server` line per replica),
indented like the placeholder.
"""
import sys


def render(text: str, values: dict[str, str]) -> str:
    out = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            out.append(line)
            continue
        indent = line[: len(line) - len(line.lstrip())]
        for name, value in values.items():
            token = f"@{name}@"
            if stripped == token:
                line = "\n".join(indent + v if v else "" for v in value.split("\n"))
            else:
                line = line.replace(token, value)
        out.append(line)
    rendered = "\n".join(out) + "\n"
    code = [line for line in out if not line.strip().startswith("#")]
    left = [w for line in code for w in line.split() if w.startswith("@") and w.rstrip(";").endswith("@") and len(w) > 2]
    if left:
        sys.exit(f"render.py: placeholders left unset: {' '.join(sorted(set(left)))}")
    return rendered


def main() -> None:
    if len(sys.argv) < 3:
        sys.exit("usage: render.py TEMPLATE OUT NAME=VALUE...")
    values = dict(arg.split("=", 1) for arg in sys.argv[3:])
    with open(sys.argv[1]) as f:
        text = f.read()
    with open(sys.argv[2], "w") as f:
        f.write(render(text, values))


if __name__ == "__main__":
    main()
