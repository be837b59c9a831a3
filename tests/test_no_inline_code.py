"""No page runs inline code or inline styles: the Content-Security-Policy is `script-src 'self';
style-src 'self'` (hotline_common.web.security), so anything inline would be refused by the
browser and the page would break silently. Checked on the sources: every template and every
static script of every service."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [*sorted((ROOT / "libs").glob("*/src")), *sorted((ROOT / "services").glob("*/src"))]

# Jinja's tags, expressions and comments, blanked before parsing (newlines kept, so lines still
# match): `<tr {% if x %}style="…"{% endif %}>` is then the tag the browser may get.
JINJA = re.compile(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", re.S)
DATA_TYPES = {"application/json"}


def sources(suffix: str) -> list[Path]:
    return sorted(p for s in SOURCES for p in s.rglob(f"*{suffix}") if not any(".egg-info" in q for q in p.parts))


def where(path: Path, line: int) -> str:
    return f"{path.relative_to(ROOT)}:{line}"


def blanked(text: str) -> str:
    return re.sub(r"[^\n]", " ", text)


def blank_jinja(text: str) -> str:
    return JINJA.sub(lambda m: blanked(m.group()), text)


class InlineFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        named = {name: value or "" for name, value in attrs}
        kind = named.get("type", "").strip().lower()
        if tag == "script" and "src" not in named and kind not in DATA_TYPES:
            self.found.append((line, "inline <script> (move it to a static file, or make it a JSON data block)"))
        if tag == "style":
            self.found.append((line, "<style> element (move the rules to the service's CSS file)"))
        for name, value in ((name, value or "") for name, value in attrs):
            if name == "style":
                self.found.append((line, f'style="{value}" attribute (use a class)'))
            elif re.fullmatch(r"on[a-z]+", name):
                self.found.append((line, f"{name}= handler (add the listener in a static script)"))
            if "javascript:" in re.sub(r"\s", "", value).lower():
                self.found.append((line, f"javascript: URL in {name}="))

    handle_startendtag = handle_starttag


def template_problems(text: str) -> list[tuple[int, str]]:
    finder = InlineFinder()
    finder.feed(blank_jinja(text))
    finder.close()
    return finder.found


def js_parts(source: str) -> tuple[str, list[tuple[int, str]]]:
    """The code with comments and literals blanked, and the string and template literals with the
    line each starts on (a template literal's `${…}` is scanned as code; regex literals are skipped)."""
    code: list[str] = []
    literals: list[tuple[int, str]] = []
    n = len(source)
    open_substitutions: list[int] = []  # for each `${` open, the brace depth outside it
    braces = 0

    def line_at(pos: int) -> int:
        return source.count("\n", 0, pos) + 1

    def template_from(start: int) -> int:
        """A template literal's text from `start` to its closing ` or its next `${`; where to go on."""
        j = start
        while j < n and source[j] != "`" and not source.startswith("${", j):
            j += 2 if source[j] == "\\" else 1
        literals.append((line_at(start), source[start:j]))
        code.append(blanked(source[start:j]))
        if source.startswith("${", j):
            open_substitutions.append(braces)
            code.append("  ")
            return j + 2
        code.append(" ")
        return j + 1

    def regex_may_start() -> bool:
        before = "".join(code).rstrip()
        word = re.search(r"[\w$]+$", before)
        if word:
            return word.group() in {"return", "typeof", "case", "do", "else", "in", "of", "delete", "void"}
        return not before or before[-1] not in ")]"

    i = 0
    while i < n:
        c = source[i]
        if source.startswith(("//", "/*"), i):
            line_comment = source[i + 1] == "/"
            end = source.find("\n" if line_comment else "*/", i + 2)
            end = n if end < 0 else end + (0 if line_comment else 2)
            code.append(blanked(source[i:end]))
            i = end
        elif c in "'\"":
            j = i + 1
            while j < n and source[j] not in (c, "\n"):
                j += 2 if source[j] == "\\" else 1
            literals.append((line_at(i), source[i + 1 : j]))
            code.append(c + blanked(source[i + 1 : j]) + c)
            i = j + 1
        elif c == "`":
            code.append(" ")
            i = template_from(i + 1)
        elif c == "/" and regex_may_start():
            j, in_class = i + 1, False
            while j < n and source[j] != "\n" and (in_class or source[j] != "/"):
                in_class = (in_class or source[j] == "[") and source[j] != "]"
                j += 2 if source[j] == "\\" else 1
            code.append("/" + blanked(source[i + 1 : j]) + "/")
            i = j + 1
        elif c == "}" and open_substitutions and open_substitutions[-1] == braces:
            open_substitutions.pop()
            code.append(" ")
            i = template_from(i + 1)
        else:
            braces += {"{": 1, "}": -1}.get(c, 0)
            code.append(c)
            i += 1
    return "".join(code), literals


CODE_PATTERNS = {r"\beval\s*\(": "eval(", r"\bFunction\s*\(": "new Function"}


def script_problems(source: str) -> list[tuple[int, str]]:
    code, literals = js_parts(source)
    found = []
    for pattern, problem in CODE_PATTERNS.items():
        found += [(code.count("\n", 0, m.start()) + 1, problem) for m in re.finditer(pattern, code)]
    # The attribute's name is blanked in `code`; it stands at the same place in `source`.
    for call in re.finditer(r"\bsetAttribute\s*\(\s*(['\"`])", code):
        if source[call.end() : call.end() + 6].lower() == "style" + call.group(1):
            found.append(
                (code.count("\n", 0, call.start()) + 1, "setAttribute('style', …) (use a class or el.style.x)")
            )
    for number, text in literals:
        if re.search(r"\bstyle\s*=|<style", text, re.I):
            found.append((number, f"inline style in markup: {text.strip()[:60]}"))
    return sorted(found)


def test_templates_have_no_inline_script_or_style():
    found = [
        f"{where(p, line)}: {problem}" for p in sources(".html") for line, problem in template_problems(p.read_text())
    ]
    assert found == [], "the CSP refuses inline code and styles:\n" + "\n".join(found)


def test_static_scripts_build_no_inline_style_or_code():
    found = [f"{where(p, line)}: {problem}" for p in sources(".js") for line, problem in script_problems(p.read_text())]
    assert found == [], "the CSP refuses these:\n" + "\n".join(found)


def test_the_template_check_sees_through_jinja():
    page = (
        '{# <script>comment</script> #}\n<script type="application/json" id="d">{{ d|tojson }}</script>\n'
        '<script type="module" src="/static/a.js"></script>\n<script nonce="{{ n }}">x()</script>\n'
        '<tr {% if a > b %}style="color:red"{% endif %} class="{{ c }}">\n<style>p {}</style>\n'
        '<a href=" javascript:x()" onclick="y()">a</a> <details open>\n'
    )
    assert [line for line, _ in template_problems(page)] == [4, 5, 6, 7, 7]


def test_the_script_check_reads_literals_not_comments():
    script = (
        '// eval(x) in a comment, style="" too\nconst re = /style="/; const half = 1 / 2; eval(s);\n'
        "el.setAttribute( 'style', v);\nel.setAttribute('class', 'styles');\n"
        "box.innerHTML = `<p ${on ? `class=${cls}` : ''} style=\"x\">`;\nconst f = new Function('return 1');\n"
        "el.style.color = 'red'; /* <style> */ const ok = '<b>' + `${a}`;\n"
    )
    assert [line for line, _ in script_problems(script)] == [2, 3, 5, 6]
