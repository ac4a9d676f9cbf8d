"""Find and render Jinja templates: the workspace's own ``templates/`` first, then ours.

A workspace overrides a packaged template by putting a file of the same name in its
``templates/`` folder. Template names are plain file names (no folders, no ``..``), so a
name given on the command line can never reach outside those two folders. User text is
always data passed to a template, never a template itself.
"""

from __future__ import annotations

import contextlib
import json
import re
import types
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zyklus.errors import LoadError, Problem, UsageError
from zyklus.names import is_windows_reserved

if TYPE_CHECKING:
    import jinja2

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*\Z")


def packaged_dir() -> Path:
    """The templates shipped with zyklus (in a wheel) or the repository's (in a checkout)."""
    package = Path(__file__).resolve().parents[1]
    inside = package / "templates"
    if inside.is_dir():
        return inside
    return package.parents[1] / "templates"


def search_path(workspace_root: Path | None) -> list[Path]:
    folders = []
    if workspace_root is not None and (workspace_root / "templates").is_dir():
        folders.append(workspace_root / "templates")
    packaged = packaged_dir()
    if packaged not in folders:
        folders.append(packaged)
    return folders


def check_name(name: str) -> str:
    if not _NAME.match(name) or ".." in name or is_windows_reserved(name):
        raise UsageError.single("T-NAME", name=name)
    return name


def yaml_str(value: Any) -> str:
    """A YAML double-quoted scalar for any text (JSON strings are valid YAML)."""
    return json.dumps(str(value), ensure_ascii=False)


def _contained_loader(workspace_root: Path | None) -> jinja2.BaseLoader:
    """A file loader that refuses a template whose real path leaves its home.

    A workspace template is a file of the repository; one that is a symlink to a place
    outside the workspace would copy that file into a card or report (a merge request
    could leak ``/etc/passwd`` into the committee's report), so it is refused.
    """
    import jinja2

    folders = search_path(workspace_root)
    homes = {packaged_dir(): packaged_dir().resolve()}
    if workspace_root is not None:
        homes[workspace_root / "templates"] = workspace_root.resolve()

    class Contained(jinja2.FileSystemLoader):
        def get_source(
            self, environment: jinja2.Environment, template: str
        ) -> tuple[str, str, Callable[[], bool]]:
            source, filename, uptodate = super().get_source(environment, template)
            real = Path(filename).resolve()
            folder = Path(filename).parent
            if not real.is_relative_to(homes.get(folder, folder.resolve())):
                raise UsageError.single("T-OUTSIDE", name=template)
            return source, filename, uptodate

    return Contained([str(p) for p in folders])


# Jinja's sandbox for every template, the workspace's and ours (issue 20): a template in a
# merge request must not run code or read files on the planner's machine or in CI.
_MAX_SEQUENCE = 1_000_000  # longest string or list ``*`` may build in a template
_MAX_EXPONENT = 64
_SAFE_OWNERS: tuple[type, ...] = (str, int, float, Decimal, date, dict, list, tuple, frozenset)
_UNUSED_GLOBALS = ("cycler", "joiner", "lipsum")
_METHODS = (types.MethodType, types.BuiltinMethodType)  # what Jinja's getattr may wrap


def _joining_generator() -> type[jinja2.compiler.CodeGenerator]:
    """Jinja's code generator, but one ``yield`` per output statement instead of one per
    piece of it (issue 21: a report of 10 000 projects was 11 million pieces, each passed
    up through every template and generator that includes it).

    ``<td>{{ a }}</td><td>{{ b }}</td>`` compiles to ``yield ''.join(('<td>',
    escape(a), '</td><td>', escape(b), '</td>'))``: every expression is escaped and
    finalized exactly as Jinja does it (the same pieces of code, from Jinja's own helpers),
    and only the joining moves from the reader into the template. Where Jinja writes into
    a buffer (a macro, ``{% set %}`` blocks, ``{% filter %}``) or checks for ``extends``,
    its own code is kept.
    """
    from jinja2 import nodes
    from jinja2.compiler import CodeGenerator, Frame

    class Joining(CodeGenerator):
        def visit_Output(self, node: nodes.Output, frame: Frame) -> None:
            if frame.buffer is not None or frame.require_output_check:
                super().visit_Output(node, frame)
                return
            finalize = self._make_finalize()
            body: list[list[Any] | nodes.Expr] = []
            for child in node.nodes:  # Jinja's folding of what is constant at compile time
                try:
                    if not (finalize.const or isinstance(child, nodes.TemplateData)):
                        raise nodes.Impossible()
                    const = self._output_child_to_const(child, frame, finalize)
                except (nodes.Impossible, Exception):
                    body.append(child)
                    continue
                if body and isinstance(body[-1], list):
                    body[-1].append(const)
                else:
                    body.append([const])
            if len(body) < 2:  # one piece: Jinja's own ``yield``
                super().visit_Output(node, frame)
                return
            self.writeline("yield ''.join((")
            self.indent()
            for item in body:
                if isinstance(item, list):
                    self.writeline(self._output_const_repr(item) + ",")
                else:
                    self.newline(item)
                    if frame.eval_ctx.autoescape and not frame.eval_ctx.volatile:
                        # escaped as Jinja's ``escape`` does, only not wrapped as Markup to
                        # be joined at once (the join gives plain text either way)
                        self.write("environment.escaped_text(")
                        if finalize.src is not None:
                            self.write(finalize.src)
                    else:
                        self._output_child_pre(item, frame, finalize)
                    self.visit(item, frame)
                    self._output_child_post(item, frame, finalize)
                    self.write(",")
            self.outdent()
            self.writeline("))")

    return Joining


def _escaped_text() -> Callable[[Any], str]:
    """markupsafe's ``escape`` as text: the same characters, without making a ``Markup``
    of every piece of a row that is joined at once (issue 21: 2 million in a report)."""
    import markupsafe

    inner: Callable[[str], str] | None = getattr(markupsafe, "_escape_inner", None)
    if inner is None:  # another markupsafe: its own escape, a Markup (a str) all the same
        return markupsafe.escape

    def escaped_text(value: Any) -> str:
        if type(value) is str:  # what markupsafe.escape does first, in C
            return inner(value)
        return markupsafe.escape(value)

    return escaped_text


def _sandbox_class() -> type[jinja2.Environment]:
    import jinja2.sandbox

    class Sandbox(jinja2.sandbox.ImmutableSandboxedEnvironment):
        """Only plain values, our own filters and Jinja's own helpers can be called.

        The sandbox already refuses ``_``-attributes (``__globals__``, ``__class__``,
        ``__subclasses__``) and mutating ``list``/``dict`` methods. On top: a method of any
        other object (a ``Path`` that could read or write, a pydantic model) is refused,
        and ``*``/``**`` cannot build a value that fills the memory.
        """

        intercepted_binops = frozenset({"*", "**"})
        code_generator_class = _joining_generator()
        escaped_text = staticmethod(_escaped_text())

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._safe_attributes: dict[tuple[type, str], bool] = {}
            self._plain_functions: dict[types.FunctionType, bool] = {}

        def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
            """Jinja's sandboxed call, in one step for a plain function (``t()``, ``illus()``:
            70 calls per project of the report, issue 21) whose verdict is known: safe, and
            asking for no context. What Jinja's ``Context.call`` then does is done here."""
            if type(__obj) is not types.FunctionType:
                return super().call(__context, __obj, *args, **kwargs)
            plain = __self._plain_functions.get(__obj)
            if plain is None:
                plain = __self._plain_functions[__obj] = getattr(
                    __obj, "jinja_pass_arg", None
                ) is None and __self.is_safe_callable(__obj)
            if not plain:
                return super().call(__context, __obj, *args, **kwargs)
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
            try:
                return __obj(*args, **kwargs)
            except StopIteration:
                return __self.undefined(
                    "value was undefined because a callable raised a StopIteration exception"
                )

        def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
            """Jinja's answer, kept per (type, attribute): it depends on nothing else (the
            name, ``isinstance`` checks of the object), and a report of 10 000 projects
            asks it 7 million times (issue 21)."""
            key = (type(obj), attr)
            known = self._safe_attributes.get(key)
            if known is None:
                known = self._safe_attributes[key] = super().is_safe_attribute(obj, attr, value)
            return known

        def getattr(self, obj: Any, attribute: str) -> Any:
            """Jinja's ``getattr`` in one step for a value that is no method (a method may
            be ``str.format``, which Jinja wraps): the same verdicts, fewer calls."""
            try:
                value = getattr(obj, attribute)
            except AttributeError:
                return super().getattr(obj, attribute)
            if isinstance(value, _METHODS):
                return super().getattr(obj, attribute)
            known = self._safe_attributes.get((type(obj), attribute))  # no call when known
            if known or (known is None and self.is_safe_attribute(obj, attribute, value)):
                return value
            return self.unsafe_undefined(obj, attribute)

        def is_safe_callable(self, obj: Any) -> bool:
            if not super().is_safe_callable(obj):
                return False
            owner = getattr(obj, "__self__", None)
            if owner is None or isinstance(owner, types.ModuleType):
                return True  # a function: a filter, t(), a macro, range
            if isinstance(owner, _SAFE_OWNERS):
                return True
            return type(owner).__module__.startswith("jinja2.")

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "**" and isinstance(right, (int, float)) and abs(right) > _MAX_EXPONENT:
                raise jinja2.exceptions.SecurityError(f"exponent {right} is too large")
            if operator == "*":
                for seq, times in ((left, right), (right, left)):
                    if (
                        isinstance(seq, (str, list, tuple))
                        and isinstance(times, int)
                        and len(seq) * times > _MAX_SEQUENCE
                    ):
                        raise jinja2.exceptions.SecurityError("the repeated value is too long")
            return super().call_binop(context, operator, left, right)

    return Sandbox


def environment(workspace_root: Path | None, *, autoescape: bool = False) -> jinja2.Environment:
    import jinja2

    env = _sandbox_class()(
        loader=_contained_loader(workspace_root),
        undefined=jinja2.StrictUndefined,
        autoescape=autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # one environment per command: no stat per ``include`` (issue 21)
    )
    for name in _UNUSED_GLOBALS:
        env.globals.pop(name, None)
    env.filters["yaml_str"] = yaml_str
    return env


def _where(exc: BaseException, workspace_root: Path | None) -> tuple[str, int | None]:
    """The template file and line an error was raised at (Jinja rewrites the traceback)."""
    filename = getattr(exc, "filename", None)
    line = getattr(exc, "lineno", None)
    if filename is None:
        tb = exc.__traceback__
        while tb is not None:
            code = tb.tb_frame.f_code.co_filename
            if code.endswith(".j2"):
                filename, line = code, tb.tb_lineno
            tb = tb.tb_next
    if filename is None:
        return "", None
    path = Path(filename)
    if workspace_root is not None and path.is_relative_to(workspace_root):
        return path.relative_to(workspace_root).as_posix(), line
    if path.is_relative_to(packaged_dir()):
        return f"<zyklus>/templates/{path.name}", line
    return path.name, line


# What a template can raise by its own doing ({{ 1/0 }}, [][0], a macro calling itself):
# bad input of the workspace, never a bug of zyklus (exit 1, located).
_TEMPLATE_FAULTS = (
    ArithmeticError,
    LookupError,
    TypeError,
    ValueError,
    AttributeError,
    RecursionError,
)


def render_with(
    env: jinja2.Environment, workspace_root: Path | None, template: str, /, **context: Any
) -> str:
    """Render ``template`` of ``env``; a broken or unsafe template is a located problem."""
    with _located(workspace_root, template):
        return env.get_template(template).render(**context)


def stream_with(
    env: jinja2.Environment, workspace_root: Path | None, template: str, /, **context: Any
) -> Iterator[str]:
    """:func:`render_with` in pieces as Jinja produces them, so a big report is written
    while it is rendered instead of held whole (issue 21); the same located problems."""
    with _located(workspace_root, template):
        yield from env.get_template(template).generate(**context)


@contextlib.contextmanager
def _located(workspace_root: Path | None, template: str) -> Iterator[None]:
    import jinja2

    try:
        yield
    except jinja2.TemplateNotFound as exc:
        raise UsageError.single("T-NOT-FOUND", name=exc.name or template) from None
    except jinja2.exceptions.SecurityError as exc:
        path, line = _where(exc, workspace_root)
        problem = Problem("T-UNSAFE", path=path, line=line, params={"error": str(exc)})
        raise LoadError([problem]) from None
    except (jinja2.TemplateError, *_TEMPLATE_FAULTS) as exc:
        path, line = _where(exc, workspace_root)
        params = {"name": template, "error": str(exc) or type(exc).__name__}
        problem = Problem("T-ERROR", path=path, line=line, params=params)
        raise LoadError([problem]) from None


def render(workspace_root: Path | None, template: str, /, **context: Any) -> str:
    check_name(template)
    return render_with(environment(workspace_root), workspace_root, template, **context)
