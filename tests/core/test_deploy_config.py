"""The example reverse-proxy configuration is valid nginx (checked where nginx is installed)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_example_nginx_config_passes_nginx_t(tmp_path: Path) -> None:
    nginx = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if nginx is None:
        if os.environ.get("CI", "").lower() == "true" and os.geteuid() == 0:
            pytest.fail("nginx should have been installed by `make test` (system-packages)")
        pytest.skip("nginx is not installed here")
    wrapper = tmp_path / "nginx.conf"
    wrapper.write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        f"events {{}}\nhttp {{\n  access_log off;\n  client_body_temp_path {tmp_path};\n"
        f"  include {ROOT / 'deploy' / 'nginx.conf'};\n}}\n"
    )
    result = subprocess.run(
        [nginx, "-t", "-c", str(wrapper), "-p", str(tmp_path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr
