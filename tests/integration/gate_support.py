"""Helpers for the quality-gate tests: real ``jixiao`` processes on files in temp folders.

They share the refresh tests' session baseline (the two samples, refreshed once), so only the
refreshes a test is about cost a dbt build.
"""

from __future__ import annotations

import subprocess

from tests.integration.refresh_support import JIXIAO, Site, baseline_output, build_baseline, copy_site

__all__ = ["JIXIAO", "GateSite", "samples_site"]

GateSite = Site


def samples_site(tmp_path_factory, name: str) -> tuple[Site, subprocess.CompletedProcess]:
    """A private copy of the session's samples refresh, and what that refresh printed."""
    baseline = build_baseline(tmp_path_factory)
    return copy_site(baseline, tmp_path_factory.mktemp(name) / "site"), baseline_output(baseline)
