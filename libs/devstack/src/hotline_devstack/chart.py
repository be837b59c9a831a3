"""The Helm chart rendered by real Helm (helm-python-sdk, offline), for the chart's tests and the
shipped-packages test: one way to render and read the manifests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]  # PyYAML ships no types; its stubs are not in the lock


def render(chart: Path, values: dict[str, Any], *, release: str, namespace: str) -> dict[str, str]:
    """`helm template` for an install: rendered file name → text."""
    import helm_python as helm  # a dev tool (uv.lock's dev group): imported only where a chart is rendered

    with helm.Chart.load(chart) as loaded:
        rendered: dict[str, str] = loaded.render(values, name=release, namespace=namespace, is_install=True)
    return rendered


def documents(rendered: dict[str, str]) -> list[dict[str, Any]]:
    """Every Kubernetes object of a render, in file order (NOTES.txt is not a manifest)."""
    return [
        doc
        for path, text in sorted(rendered.items())
        if not path.endswith(".txt")
        for doc in yaml.safe_load_all(text)
        if doc
    ]
