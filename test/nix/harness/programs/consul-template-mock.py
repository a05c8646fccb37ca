# The harness's consul-template-mock: `consul-template-mock TEMPLATE MOCK.json` prints TEMPLATE
# rendered against the mock's Consul keys, Vault secrets and services, as the Go program does
# (the harness cannot build Go). It knows the part of Go's text/template that consul-template
# templates here use: {{- -}} trimming, $variables, if/else, range, with, pipelines, parentheses,
# and the functions key, keyOrDefault, parseJSON, index, or, secret and service.
import json
import re
import sys

ACTION = re.compile(r"\{\{(-\s)?(.*?)(\s-)?\}\}", re.S)
TOKEN = re.compile(r'\s*("(?:[^"\\]|\\.)*"|\(|\)|\||:=|,|[^\s()|,]+)')


class TemplateError(Exception):
    pass


def parse(text):
    """The template as a tree: text, {"do": words} and {"block": kind, "words", "body", "else"}."""
    items, pos, trim_next = [], 0, False
    for m in ACTION.finditer(text):
        chunk = text[pos : m.start()]
        if trim_next:
            chunk = chunk.lstrip()
        if m.group(1):
            chunk = chunk.rstrip()
        items.append(chunk)
        items.append(tokens(m.group(2)))
        pos, trim_next = m.end(), bool(m.group(3))
    tail = text[pos:]
    items.append(tail.lstrip() if trim_next else tail)
    body, rest = nest(items, 0)
    if rest != len(items):
        raise TemplateError("unexpected {{end}}")
    return body


def tokens(action):
    found = [t for t in TOKEN.findall(action) if t != ""]
    return found


def nest(items, i):
    body = []
    while i < len(items):
        item = items[i]
        if isinstance(item, str):
            body.append(item)
        elif item and item[0] in ("if", "range", "with"):
            inner, i = nest(items, i + 1)
            other = []
            if i < len(items) and items[i] == ["else"]:
                other, i = nest(items, i + 1)
            if i >= len(items) or items[i] != ["end"]:
                raise TemplateError(f"{item[0]} without {{{{end}}}}")
            body.append({"block": item[0], "words": item[1:], "body": inner, "else": other})
        elif item in (["end"], ["else"]):
            return body, i
        else:
            body.append({"do": item})
        i += 1
    return body, i


def truthy(value):
    return value not in (None, False, 0, "", [], {})


def show(value):
    if value is None:
        return "<no value>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + " ".join(show(v) for v in value) + "]"
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{show(v)}" for k, v in sorted(value.items())) + "]"
    return str(value)


class Renderer:
    def __init__(self, mock):
        self.mock = mock
        self.functions = {
            "key": lambda path: self.mock.get("key", {})[path],
            "keyOrDefault": lambda path, default: self.mock.get("key", {}).get(path, default),
            "parseJSON": json.loads,
            "index": self.index,
            "or": lambda *values: next((v for v in values if truthy(v)), values[-1]),
            "secret": lambda path: {"Data": self.mock.get("secret", {})[path]},
            "service": lambda name: self.mock.get("service", {}).get(name, []),
        }

    @staticmethod
    def index(value, *keys):
        for k in keys:
            if isinstance(value, dict):
                value = value.get(k)
            elif isinstance(value, list) and isinstance(k, int) and 0 <= k < len(value):
                value = value[k]
            else:
                raise TemplateError(f"cannot index {show(value)} with {k!r}")
        return value

    def render(self, body, dot, scope):
        out = []
        for item in body:
            if isinstance(item, str):
                out.append(item)
            elif "do" in item:
                words = item["do"]
                if len(words) >= 2 and words[1] == ":=":
                    scope[words[0]] = self.pipeline(words[2:], dot, scope)
                else:
                    out.append(show(self.pipeline(words, dot, scope)))
            else:
                out.append(self.block(item, dot, scope))
        return "".join(out)

    def block(self, item, dot, scope):
        kind, words = item["block"], item["words"]
        if kind == "range":
            names = []
            if ":=" in words:
                at = words.index(":=")
                names = [w for w in words[:at] if w != ","]
                words = words[at + 1 :]
            value = self.pipeline(words, dot, scope)
            pairs = list(value.items()) if isinstance(value, dict) else list(enumerate(value or []))
            if not pairs:
                return self.render(item["else"], dot, scope)
            out = []
            for k, v in pairs:
                inner = dict(scope)
                if len(names) == 2:
                    inner[names[0]], inner[names[1]] = k, v
                elif len(names) == 1:
                    inner[names[0]] = v
                out.append(self.render(item["body"], v, inner))
            return "".join(out)
        value = self.pipeline(words, dot, scope)
        if not truthy(value):
            return self.render(item["else"], dot, dict(scope))
        return self.render(item["body"], value if kind == "with" else dot, dict(scope))

    def pipeline(self, words, dot, scope):
        commands, current, depth = [], [], 0
        for w in words:
            depth += (w == "(") - (w == ")")
            if w == "|" and depth == 0:
                commands.append(current)
                current = []
            else:
                current.append(w)
        commands.append(current)
        value, piped = None, False
        for command in commands:
            value = self.command(command, dot, scope, [value] if piped else [])
            piped = True
        return value

    def command(self, words, dot, scope, extra):
        args, i = [], 0
        while i < len(words):
            if words[i] == "(":
                depth, j = 1, i + 1
                while depth:
                    depth += (words[j] == "(") - (words[j] == ")")
                    j += 1
                args.append(("value", self.pipeline(words[i + 1 : j - 1], dot, scope)))
                i = j
            else:
                args.append(("word", words[i]))
                i += 1
        head_kind, head = args[0]
        if head_kind == "word" and head in self.functions:
            values = [self.operand(a, dot, scope) for a in args[1:]] + extra
            return self.functions[head](*values)
        if len(args) > 1 or extra:
            raise TemplateError(f"{head} is not a function")
        return self.operand(args[0], dot, scope)

    def operand(self, arg, dot, scope):
        kind, word = arg
        if kind == "value":
            return word
        if word.startswith('"'):
            return json.loads(word)
        if re.fullmatch(r"-?\d+", word):
            return int(word)
        if word in ("true", "false"):
            return word == "true"
        if word.startswith("$"):
            name, _, path = word.partition(".")
            if name not in scope:
                raise TemplateError(f"undefined variable {name}")
            return self.fields(scope[name], path)
        if word.startswith("."):
            return self.fields(dot, word[1:])
        raise TemplateError(f"function {word!r} not defined")

    def fields(self, value, path):
        for name in filter(None, path.split(".")):
            if not isinstance(value, dict):
                raise TemplateError(f"can't evaluate field {name} in {show(value)}")
            value = value.get(name)
        return value


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: consul-template-mock TEMPLATE MOCK.json")
    with open(sys.argv[1]) as f:
        template = f.read()
    with open(sys.argv[2]) as f:
        mock = json.load(f)
    try:
        sys.stdout.write(Renderer(mock).render(parse(template), None, {"$": None}))
    except (TemplateError, KeyError, TypeError) as e:
        sys.exit(f"{sys.argv[1]}: {e}")


main()
