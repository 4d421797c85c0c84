"""Stripe stays behind the payment door, read from the source so that a new module that
bypasses it fails here:

- only modules under payments/ import ``stripe`` (the apps use payments.facade and get our
  outcomes and events, never Stripe's objects);
- every call to Stripe goes through gateway.calling_stripe, the one place where Stripe's
  errors become a French message instead of a 500 (see tests/payments/test_stripe_unreachable.py for
  what the reader then sees)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Every package of ours (pyproject's), the development tools included.
APPS = ("config", "kiosque", "accounts", "payments", "shop", "magazine", "donations", "devtools")
DOOR = "payments"
# SDK helpers that make no request.
OFFLINE = {"Webhook", "WebhookSignature", "RequestsClient", "StripeClient"}


def is_calling_stripe(node: ast.AST) -> bool:
    """``calling_stripe(...)`` or ``gateway.calling_stripe(...)``."""
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    return (isinstance(func, ast.Name) and func.id == "calling_stripe") or (
        isinstance(func, ast.Attribute) and func.attr == "calling_stripe"
    )


def catches_stripe_errors(node: ast.Try) -> bool:
    for handler in node.handlers:
        names = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
        if any(ast.unparse(name) == "stripe.StripeError" for name in names if name):
            return True
    return False


def is_stripe_request(node: ast.Call) -> bool:
    """Getting the configured client (each request starts there), or the SDK's resources."""
    func = node.func
    if isinstance(func, ast.Name) and func.id == "client":
        return True
    if isinstance(func, ast.Attribute) and func.attr == "client":
        return ast.unparse(func.value) == "gateway"
    text = ast.unparse(func)
    parts = text.split(".")
    return (
        len(parts) >= 3
        and parts[0] == "stripe"
        and parts[1][:1].isupper()
        and parts[1] not in OFFLINE
    )


def unguarded_calls(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []

    def visit(node: ast.AST, guarded: bool, function: str):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            if node.name == "client" and path.name == "gateway.py":
                return  # the client itself
            function = node.name
            guarded = any(is_calling_stripe(d) for d in node.decorator_list)
        elif isinstance(node, ast.With) and any(
            is_calling_stripe(item.context_expr) for item in node.items
        ):
            guarded = True
        elif isinstance(node, ast.Try) and catches_stripe_errors(node):
            for child in node.body:
                visit(child, True, function)
            for child in node.handlers + node.orelse + node.finalbody:
                visit(child, guarded, function)
            return
        elif isinstance(node, ast.Call) and is_stripe_request(node) and not guarded:
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} in {function}()")
        for child in ast.iter_child_nodes(node):
            visit(child, guarded, function)

    visit(tree, False, "<module>")
    return found


def sources() -> list[Path]:
    return sorted(
        path
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
    )


def stripe_imports(path: Path) -> list[str]:
    """Where a module imports the Stripe SDK (``import stripe``, ``from stripe...``)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
        else:
            continue
        if any(name == "stripe" or name.startswith("stripe.") for name in names):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def outside_the_door() -> list[Path]:
    return [path for path in sources() if path.relative_to(ROOT).parts[0] != DOOR]


def test_the_import_check_finds_imports_of_stripe(tmp_path, monkeypatch):
    monkeypatch.setattr("tests.payments.test_stripe_calls.ROOT", tmp_path)
    module = tmp_path / "views.py"
    module.write_text(
        "import json\nimport stripe\nfrom stripe import PaymentIntent\n"
        "from stripe.error import CardError\nfrom . import stripe_like\nimport stripey\n"
    )
    assert stripe_imports(module) == ["views.py:2", "views.py:3", "views.py:4"]


def test_the_door_is_where_stripe_is_imported():
    assert any(stripe_imports(path) for path in sources() if path.parts[-2] == DOOR)
    assert len(outside_the_door()) > 50  # the apps are read too


@pytest.mark.parametrize("path", outside_the_door(), ids=lambda path: str(path.relative_to(ROOT)))
def test_no_module_outside_payments_imports_stripe(path):
    assert stripe_imports(path) == []


def test_the_check_finds_the_calls_it_is_about(tmp_path):
    sample = ROOT / "payments" / "gateway.py"
    assert sample in sources()
    tree = ast.parse(sample.read_text())
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)]
    assert sum(is_stripe_request(call) for call in calls) >= 4
    facade = ast.parse((ROOT / "payments" / "facade.py").read_text())
    calls = [node for node in ast.walk(facade) if isinstance(node, ast.Call)]
    assert sum(is_stripe_request(call) for call in calls) >= 4


def test_an_unguarded_call_is_found(tmp_path, monkeypatch):
    monkeypatch.setattr("tests.payments.test_stripe_calls.ROOT", tmp_path)
    module = tmp_path / "bad.py"
    module.write_text(
        "def stop(gift):\n"
        "    gateway.client().v1.subscriptions.cancel(gift.sub)\n"
        "@gateway.calling_stripe('x')\n"
        "def fine(gift):\n"
        "    gateway.client().v1.subscriptions.cancel(gift.sub)\n"
    )
    assert unguarded_calls(module) == ["bad.py:2 in stop()"]


@pytest.mark.parametrize("path", sources(), ids=lambda path: str(path.relative_to(ROOT)))
def test_every_call_to_stripe_goes_through_calling_stripe(path):
    assert unguarded_calls(path) == []
