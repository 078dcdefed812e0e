"""Which handed-out cells the grader may skip: demonstrations whose results nothing reads.

A lab shows experiments that use the learner's functions (a factorial run over seeds, a
self-check on practice splits). Their printed results are for the learner; the grade
comes from the grader's own calls. Running them again for every submission is most of a
class's grading time, so the grader skips a code cell when

* it is exactly a cell of the exercise as handed out (the learner did not change it);
* none of the names it binds is read by any later cell or is a graded name;
* it changes nothing defined before it: no assignment to an attribute or an item of an
  earlier object, no ``global``/``nonlocal``/``del``, and no method call on an earlier
  object other than a module (``np.mean`` is fine, ``rows.append`` is not), no
  ``exec``/``eval``/``setattr``, and no seeding of a global random state.

Every learner-written cell runs. Taught in: the grader of every lab (``dcai-course grade``).
"""

from __future__ import annotations

import ast
import builtins
import symtable
from collections.abc import Iterable

__all__ = ["skippable_cells"]

_MUTATING_CALLS = {"exec", "eval", "setattr", "delattr", "globals", "vars", "__import__"}


def _parse(source: str) -> ast.Module | None:
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _imported(node: ast.Import | ast.ImportFrom) -> set[str]:
    """The names an ``import`` statement binds (``import a.b`` binds ``a``)."""
    return {(a.asname or a.name).split(".")[0] for a in node.names}


def _bound(tree: ast.AST) -> set[str]:
    """Names a cell binds at top level scope (assignments, loops, defs, imports, ...)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names |= _imported(node)
    return names


class _FreeReads(ast.NodeVisitor):
    """Top-level names a cell reads before it binds them, in evaluation order."""

    def __init__(self) -> None:
        self.bound: set[str] = set()
        self.free: set[str] = set()

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Load) and node.id not in self.bound:
            self.free.add(node.id)
        elif isinstance(node.ctx, ast.Store):
            self.bound.add(node.id)

    def visit_Assign(self, node: ast.Assign) -> None:
        self.visit(node.value)
        for target in node.targets:
            self.visit(target)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        if isinstance(node.target, ast.Name) and node.target.id not in self.bound:
            self.free.add(node.target.id)
        self.visit(node.value)
        self.visit(node.target)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.visit(node.value)
        self.visit(node.target)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self.visit(node.value)
        self.visit(node.target)

    def visit_For(self, node: ast.For) -> None:
        self.visit(node.iter)
        self.visit(node.target)
        for child in [*node.body, *node.orelse]:
            self.visit(child)

    def visit_withitem(self, node: ast.withitem) -> None:
        self.visit(node.context_expr)
        if node.optional_vars is not None:
            self.visit(node.optional_vars)

    def _define(self, node) -> None:  # bodies are their own scopes (read through symtable)
        for child in [*node.decorator_list, *getattr(node, "bases", [])]:
            self.visit(child)
        if not isinstance(node, ast.ClassDef):
            for default in [*node.args.defaults, *node.args.kw_defaults]:
                if default is not None:
                    self.visit(default)
        self.bound.add(node.name)

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _define

    def visit_Lambda(self, node: ast.Lambda) -> None:
        for default in [*node.args.defaults, *node.args.kw_defaults]:
            if default is not None:
                self.visit(default)

    def _comprehension(self, node) -> None:  # only the first iterable runs in this scope
        self.visit(node.generators[0].iter)

    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _comprehension

    def visit_Import(self, node: ast.Import | ast.ImportFrom) -> None:
        self.bound |= _imported(node)

    visit_ImportFrom = visit_Import


def _read(source: str) -> set[str]:
    """Global names a cell reads from earlier cells: at top level before binding them, or
    from inside its functions, classes and comprehensions (whenever those run)."""
    try:
        tree, table = ast.parse(source), symtable.symtable(source, "<cell>", "exec")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return {"*"}
    order = _FreeReads()
    for statement in tree.body:
        order.visit(statement)
    names = set(order.free)
    todo = list(table.get_children())
    while todo:
        scope = todo.pop()
        names.update(
            s.get_name() for s in scope.get_symbols() if s.is_referenced() and s.is_global()
        )
        todo.extend(scope.get_children())
    return names


def _base_name(node: ast.AST) -> str | None:
    """The name an attribute or item chain starts from (None after a call: a new object)."""
    while isinstance(node, ast.Attribute | ast.Subscript):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _changes_earlier_state(tree: ast.Module, own: set[str], modules: set[str]) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Global | ast.Nonlocal | ast.Delete):
            return True
        stores = isinstance(node, ast.Attribute | ast.Subscript) and isinstance(node.ctx, ast.Store)
        if stores and _base_name(node) not in own:
            return True
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in _MUTATING_CALLS:
                return True
            if isinstance(func, ast.Attribute):
                if "seed" in func.attr:
                    return True
                base = _base_name(func.value)
                if base is not None and base not in own and base not in modules:
                    return True
    return False


def _modules(trees: Iterable[ast.Module]) -> set[str]:
    """Names bound by ``import`` statements (modules and imported names)."""
    out: set[str] = set()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                out |= _imported(node)
    return out


def skippable_cells(cells: list[str], provided: list[str], graded: Iterable[str]) -> set[int]:
    """Indices of handed-out demonstration cells the grader need not run (see module doc)."""
    handed_out = {c.strip() for c in provided if c.strip()}
    trees = [_parse(c) for c in cells]
    if not handed_out or any(t is None for t in trees):
        return set()
    modules = _modules(trees) - set(dir(builtins))
    later_reads: set[str] = set(graded)
    skip: set[int] = set()
    for index in range(len(cells) - 1, -1, -1):
        tree = trees[index]
        own = _bound(tree)
        if (
            cells[index].strip() in handed_out
            and not own & later_reads
            and not own & modules
            and not _changes_earlier_state(tree, own, modules)
        ):
            skip.add(index)
            continue
        later_reads |= _read(cells[index])
    return skip
