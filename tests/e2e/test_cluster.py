"""Several app processes behind the balancer (``scripts/cluster.sh``): one truth, one lock.

One cluster for the module, started with the script itself under a tmp state dir (three
replicas on a throw-away PostgreSQL, nginx in front): an import through one replica is
seen by another without a restart; wrong passwords spread over the replicas throttle the
sign-in as if they were made on one; through the balancer a browser gets the affinity
cookie, a working map, and every request of its session (websocket included) on one
replica; ``down`` leaves no process and no port behind.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest
from playwright.sync_api import Browser, Page

from tests import pg
from tests.harness import (
    ROOT,
    map_frame,
    new_context,
    open_page,
    save_screenshot,
    wait_until_idle,
)
from tests.harness.editors import (
    EDITOR,
    EDITOR_PASSWORD,
    THROTTLED,
    WRONG,
    editor_app_env,
    log_in,
    submit_login,
)

# One cluster, so the module's tests run in one xdist worker, in file order (the last one
# stops the cluster).
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("cluster")]

SCRIPT = ROOT / "scripts" / "cluster.sh"
PG_BIN = Path(os.environ.get("LANDMARKS_PG_BIN", "/usr/lib/postgresql/15/bin"))
UP_TIMEOUT_S = 300
AFFINITY_COOKIE = "landmarks_replica"
PRODUCT = "集群验证贡茶"
SURVEY = (
    "产品名称,品类,地理标志类型,所属市州,所属县市区,可信度,来源类型\n"
    f"{PRODUCT},茶叶,地理标志保护产品,宜昌市,秭归县,中,媒体报道\n"
    "集群验证香菇,蔬菜,,宜昌市,秭龟县,中,媒体报道\n"
)


@dataclass(frozen=True)
class Endpoint:
    """A replica or the balancer, as ``open_page`` addresses it."""

    name: str
    port: int
    pid: int

    def url(self, path: str = "") -> str:
        return f"http://127.0.0.1:{self.port}/{path.lstrip('/')}"


@dataclass(frozen=True)
class Cluster:
    state: Path
    env: dict[str, str]
    balancer: Endpoint
    replicas: tuple[Endpoint, ...]
    postgres_pid: int
    postgres_socket: Path
    db_url: str

    def script(self, *arguments: str) -> subprocess.CompletedProcess[str]:
        return cluster_sh(self.env, *arguments)


def cluster_sh(env: dict[str, str], *arguments: str) -> subprocess.CompletedProcess[str]:
    """``scripts/cluster.sh`` with ``arguments``, its output captured."""
    return subprocess.run(
        ["bash", str(SCRIPT), *arguments],
        env=env,
        capture_output=True,
        text=True,
        timeout=UP_TIMEOUT_S,
        check=False,
    )


_PART = re.compile(r"^(balancer|replica\d+) http://127\.0\.0\.1:(\d+) pid (\d+)$")
_POSTGRES = re.compile(r"^postgresql (\S+) pid (\d+)$")


def read_status(state: Path, env: dict[str, str], status: str) -> Cluster:
    """The cluster as ``cluster.sh status`` lists it."""
    parts = {
        m[1]: Endpoint(m[1], int(m[2]), int(m[3]))
        for m in map(_PART.match, status.splitlines())
        if m
    }
    postgres = next(m for m in map(_POSTGRES.match, status.splitlines()) if m)
    db_url = next(
        line.split("=", 1)[1] for line in status.splitlines() if line.startswith("LANDMARKS_DB=")
    )
    replicas = tuple(part for name, part in sorted(parts.items()) if name.startswith("replica"))
    return Cluster(
        state, env, parts["balancer"], replicas, int(postgres[2]), Path(postgres[1]), db_url
    )


@pytest.fixture(scope="module")
def cluster_tools() -> None:
    """nginx and PostgreSQL: missing, the tests skip locally and fail in CI (CI=true),
    as the PostgreSQL fixtures of tests/conftest.py do."""
    if shutil.which("nginx") is None:
        missing = "nginx is missing (apt-get install nginx-light)"
    elif not (PG_BIN / "initdb").is_file():
        missing = f"PostgreSQL is missing: no {PG_BIN / 'initdb'} (apt-get install postgresql)"
    else:
        return
    if pg.in_ci():
        pytest.fail(f"CI=true: {missing}", pytrace=False)
    pytest.skip(missing)


@pytest.fixture(scope="module")
def cluster(
    chromium: Path, cluster_tools: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Cluster]:
    """``cluster.sh up 3`` in a tmp state dir; the replicas run in an app folder with one
    editor account (``editor_app_env``) and publish the public page into a tmp folder."""
    folder = tmp_path_factory.mktemp("cluster")
    app_dir = folder / "app"
    app_dir.mkdir()
    editor_app_env(app_dir)  # the account; the database is the cluster's
    state = folder / "state"
    env = {
        **os.environ,
        "LANDMARKS_CLUSTER_STATE": str(state),
        "LANDMARKS_CLUSTER_APP_DIR": str(app_dir),
        "LANDMARKS_PUBLIC_DIR": str(folder / "public"),
        "LANDMARKS_BOUNDARIES_DIR": "",  # the shipped Hubei coverage
    }
    up = cluster_sh(env, "up", "3")
    try:
        assert up.returncode == 0, f"cluster.sh up failed:\n{up.stdout}\n{up.stderr}"
        status = subprocess.run(
            ["bash", str(SCRIPT), "status"], env=env, capture_output=True, text=True, check=True
        )
        found = read_status(state, env, status.stdout)
        assert up.stdout.strip().splitlines()[-1] == found.balancer.url().rstrip("/")
        assert len(found.replicas) == 3
        yield found
    finally:
        subprocess.run(["bash", str(SCRIPT), "down"], env=env, timeout=120, check=False)


def _product_count(page: Page) -> int:
    metric = page.locator("[data-testid='stMetric']").filter(has_text="地理标志产品（已收录）")
    text = metric.locator("[data-testid='stMetricValue']").inner_text()
    return int(re.sub(r"\D", "", text))


def test_an_import_through_one_replica_is_seen_through_another(
    browser: Browser, cluster: Cluster, tmp_path: Path
) -> None:
    """Replica B has read the data (and cached it for that data version) before replica
    A imports; B's next run shows the new product: it follows the database's version."""
    replica_a, replica_b = cluster.replicas[0], cluster.replicas[1]
    survey = tmp_path / "集群普查.csv"
    survey.write_bytes(SURVEY.encode("gbk"))
    # Two browsers: replicas on one host share cookies, never mind the port.
    seeing, importing = new_context(browser), new_context(browser)
    try:
        page_b = seeing.new_page()
        open_page(page_b, replica_b, "")
        before = _product_count(page_b)

        page_a = importing.new_page()
        open_page(page_a, replica_a, "data")
        log_in(page_a)
        page_a.locator("input[type=file]").set_input_files(str(survey))
        page_a.get_by_text("其中 1 行无误，1 行有问题").wait_for()
        wait_until_idle(page_a)
        page_a.get_by_text("我已了解：只导入无误的 1 行").click()
        page_a.get_by_role("button", name="只导入无误的 1 行").click()
        page_a.get_by_text("地理标志产品表新增 1 行").wait_for()

        # B's next run (no restart): the new product counts.
        open_page(page_b, replica_b, "")
        assert _product_count(page_b) == before + 1
        open_page(page_b, replica_b, "data")
        page_b.get_by_role("tab", name="版本记录").click()
        page_b.get_by_text(survey.name).first.wait_for(state="attached")  # a grid cell
    finally:
        seeing.close()
        importing.close()


def test_wrong_passwords_spread_over_replicas_throttle_the_sign_in(
    browser: Browser, cluster: Cluster
) -> None:
    """Five checked wrong passwords, on replicas A, B, C, A, B: each replica saw at most
    two, fewer than the client's free failures (3), so only the shared record throttles
    the right password on C afterwards.  Each attempt on a freshly opened page, so that no
    earlier answer still on the page passes for this one's."""
    context = new_context(browser)

    def fresh_login_page(replica: Endpoint) -> Page:
        page = context.new_page()
        open_page(page, replica, "data")
        return page

    try:
        # Opened now, so that the right password follows the fifth failure at once.
        last = fresh_login_page(cluster.replicas[2])
        for attempt in range(5):
            replica = cluster.replicas[attempt % 3]
            # A throttled answer checks nothing and counts nothing: try again until the
            # wrong password is checked (the waits are 2 s, then 4 s).
            deadline = time.monotonic() + 60
            while True:
                page = fresh_login_page(replica)
                answer = submit_login(page, EDITOR, f"falsch-{attempt}")
                page.close()
                if WRONG in answer:
                    break
                assert THROTTLED in answer, answer
                assert time.monotonic() < deadline, "the throttle never let a sign-in through"
        # The wait after five failures is 8 s; the right password comes well inside it.
        page = last
        wait_until_idle(page)
        page.get_by_label("用户名").fill(EDITOR)
        page.get_by_label("密码").fill(EDITOR_PASSWORD)
        page.get_by_role("button", name="登录").click()
        throttled = page.get_by_text(THROTTLED)
        throttled.or_(page.get_by_role("tab", name="导入数据")).first.wait_for()
        assert throttled.count() == 1, "the right password was let in on replica C"
        assert page.get_by_role("tab", name="导入数据").count() == 0
    finally:
        context.close()


def _access_log(cluster: Cluster) -> list[str]:
    return (cluster.state / "logs" / "nginx-access.log").read_text().splitlines()


def test_a_browser_through_the_balancer_stays_on_one_replica(
    browser: Browser, cluster: Cluster
) -> None:
    """The first answer sets the affinity cookie; the page, its files and its websocket
    (twice: a reload opens another) all reach the same replica, and the map is drawn."""
    context = new_context(browser, {"width": 1280, "height": 720})
    try:
        page = context.new_page()
        open_page(page, cluster.balancer, "explorer")
        map_frame(page)
        save_screenshot(page, "cluster-balancer-explorer-1280x720", full_page=False)
        cookies = {cookie["name"]: cookie["value"] for cookie in context.cookies()}
        affinity = cookies.get(AFFINITY_COOKIE, "")
        assert re.fullmatch(r"[0-9a-f]{32}", affinity), cookies
        page.reload()
        wait_until_idle(page)
        map_frame(page)
    finally:
        context.close()  # the websockets close: nginx logs them now
    replicas = {f"127.0.0.1:{replica.port}" for replica in cluster.replicas}
    deadline = time.monotonic() + 30
    while True:
        mine = [line for line in _access_log(cluster) if line.endswith(f"affinity={affinity}")]
        streams = [line for line in mine if "/_stcore/stream" in line]
        if len(streams) >= 2 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert len(streams) >= 2, "\n".join(mine)
    assert any('"GET /explorer ' in line for line in mine), "\n".join(mine)
    upstreams = {re.search(r"upstream=(\S+)", line)[1] for line in mine}  # type: ignore[index]
    assert len(upstreams) == 1 and upstreams <= replicas, "\n".join(mine)


def _running(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def test_a_part_that_fails_to_start_leaves_nothing_running(
    cluster_tools: None, tmp_path: Path
) -> None:
    """Replicas that cannot start (a broken ``streamlit`` first on their path): ``up``
    names the part and shows its log's end, and stops the PostgreSQL it had started."""
    broken = tmp_path / "broken" / "streamlit"
    broken.mkdir(parents=True)
    (broken / "__init__.py").write_text('raise SystemExit("streamlit broken on purpose")\n')
    (broken / "__main__.py").write_text("import streamlit\n")
    state = tmp_path / "state"
    env = {
        **os.environ,
        "LANDMARKS_CLUSTER_STATE": str(state),
        "PYTHONPATH": str(broken.parent),
    }
    up = cluster_sh(env, "up", "2")
    assert up.returncode == 1
    assert "replica1 failed to start" in up.stderr, up.stderr
    assert "streamlit broken on purpose" in up.stderr, up.stderr
    assert not state.exists()
    assert _started_for(state) == []


def _started_for(state: Path) -> list[int]:
    """The running processes started by ``cluster.sh`` for ``state``: the replicas, nginx
    and PostgreSQL inherit its environment."""
    found = []
    for process in psutil.process_iter():
        with contextlib.suppress(psutil.Error):  # ended meanwhile, or another user's
            mine = process.environ().get("LANDMARKS_CLUSTER_STATE") == str(state)
            if mine and process.status() != psutil.STATUS_ZOMBIE:
                found.append(process.pid)
    return found


def test_down_leaves_no_process_and_no_port(cluster: Cluster) -> None:
    """Last in the module: the cluster the tests used is stopped with the script."""
    parts = (cluster.balancer, *cluster.replicas)
    assert all(_running(part.pid) and _listening(part.port) for part in parts)
    assert _running(cluster.postgres_pid)
    again = cluster.script("up")  # says so and prints the URL, starts nothing
    assert again.returncode == 0 and "already up" in again.stderr, again.stderr
    assert again.stdout.strip() == cluster.balancer.url().rstrip("/")
    down = cluster.script("down")
    assert down.returncode == 0, down.stderr
    assert [part.name for part in parts if _running(part.pid)] == []
    assert [part.name for part in parts if _listening(part.port)] == []
    assert not _running(cluster.postgres_pid)
    assert not cluster.postgres_socket.exists()
    assert not cluster.state.exists()
    assert _started_for(cluster.state) == []
    assert cluster.script("status").returncode == 1
