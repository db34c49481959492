"""Several hosts on one machine: `engine serve` masters on free ports (each its own gunicorn, as
two hosts would run), and nginx in front of them as a non-daemon child with a generated config
in a temporary folder (no system configuration touched, no fixed port). Used by
tests/hosts/test_two_hosts.py and bench/hosts.py."""
from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

ENGINE = str(Path(sys.executable).with_name("engine"))
UPSTREAM_HEADER = "X-Engine-Upstream"  # nginx adds the address of the host that answered


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def nginx_binary() -> str | None:
    """nginx on PATH or where Debian puts it (scripts/ensure-services.sh installs it)."""
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)


def nginx_config(folder: Path, port: int, upstreams: Sequence[int]) -> str:
    """Round robin over `upstreams` (127.0.0.1 ports) on 127.0.0.1:`port`; every path under `folder`.
    The same `location` as the README's sample, plus the header naming the host that answered."""
    servers = "\n".join(f"    server 127.0.0.1:{p} max_fails=0;" for p in upstreams)
    temp = "\n".join(f"  {kind}_temp_path {folder / kind};" for kind in
                     ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return f"""worker_processes 1;
daemon off;
master_process on;
pid {folder / 'nginx.pid'};
error_log {folder / 'error.log'} warn;
events {{ worker_connections 512; }}
http {{
  access_log off;
{temp}
  upstream engine {{
{servers}
    keepalive 32;
  }}
  server {{
    listen 127.0.0.1:{port};
    client_max_body_size 20m;
    client_body_buffer_size 20m;  # bodies and answers stay in memory: no temp file for nginx's
    proxy_max_temp_file_size 0;   # worker user to write into a private folder
    location / {{
      proxy_pass http://engine;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      add_header {UPSTREAM_HEADER} $upstream_addr always;
    }}
  }}
}}
"""


class Process:
    """A child process that is ended (TERM, then KILL) by `stop`, and whose output goes to a file."""

    def __init__(self, args: Sequence[str], env: Mapping[str, str], log: Path, cwd: Path) -> None:
        self.log = log
        with open(log, "wb") as out:
            self.proc = subprocess.Popen(list(args), env=dict(env), cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                         start_new_session=True)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc.poll() is None

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self, timeout: float = 20) -> None:
        """TERM the process (gunicorn's master stops its workers and its scheduler), KILL its
        whole process group if it has not ended within `timeout` seconds."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                pass
        try:  # whatever of its group is left (a worker, a scheduler)
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.proc.wait(timeout=timeout)


def wait_until(check: Callable[[], bool], timeout: float, what: str, interval: float = 0.1,
               watch: Sequence[Process] = ()) -> None:
    """Poll `check` until it is true; AssertionError naming `what` after `timeout` seconds, or
    at once when a watched process has ended."""
    deadline = time.monotonic() + timeout
    while not check():
        for proc in watch:
            if not proc.alive():
                raise AssertionError(f"{what}: process {proc.pid} ended:\n{proc.output()[-3000:]}")
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout:g} s")
        time.sleep(interval)


def answers(port: int, path: str = "/login") -> bool:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", path)
        ok = conn.getresponse().status < 500
        conn.close()
        return ok
    except OSError:
        return False


def start_host(env: Mapping[str, str], folder: Path, name: str, workers: int = 1, threads: int = 1,
               scheduler: bool = False, timeout: float = 60) -> tuple[Process, int]:
    """`engine serve` on a free port, as host `name`; waits until it answers. (process, port)."""
    port = free_port()
    args = [ENGINE, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
            "--threads", str(threads), "--scheduler" if scheduler else "--no-scheduler"]
    proc = Process(args, env, folder / f"{name}.log", folder)
    try:
        wait_until(lambda: answers(port), timeout, f"host {name} answering", watch=[proc])
    except BaseException:
        proc.stop()
        raise
    return proc, port


def start_nginx(folder: Path, upstreams: Sequence[int], timeout: float = 20) -> tuple[Process, int]:
    """nginx (not a daemon: a child of this process) round robin over `upstreams`; (process, port)."""
    binary = nginx_binary()
    if binary is None:
        raise RuntimeError("nginx is not installed (scripts/ensure-services.sh installs it)")
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    conf = folder / "nginx.conf"
    conf.write_text(nginx_config(folder, port, upstreams))
    proc = Process([binary, "-p", str(folder), "-c", str(conf), "-e", str(folder / "error.log")],
                   os.environ, folder / "nginx.out", folder)
    try:
        wait_until(lambda: answers(port), timeout, "nginx answering", watch=[proc])
    except BaseException:
        proc.stop()
        raise
    return proc, port
