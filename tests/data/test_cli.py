"""``python -m landmarks``: the same import pipeline as the page, with exit codes."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from landmarks import __main__ as cli
from landmarks.__main__ import EXIT_DATABASE, EXIT_REJECTED, EXIT_UNREADABLE, main
from landmarks.data import history, store
from landmarks.data.accounts import accounts_from_secrets, log_in
from landmarks.data.store.sign_ins import Attempt, opened_store

ROOT = Path(__file__).resolve().parents[2]
HEADER = "产品名称,品类,地理标志类型,所属市州,所属县市区,可信度,来源类型\n"


def csv_file(tmp_path: Path, rows: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "普查.csv"
    path.write_bytes((HEADER + rows).encode(encoding))
    return path


def digest(db_path: str | Path) -> str:
    with store.opened(db_path) as db:
        return db.content_digest()


def test_a_bad_file_is_reported_and_changes_nothing(
    tmp_path: Path, db_target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path = db_target
    path = csv_file(tmp_path, "测试茶,茶叶,,宜昌市,秭龟县,高,media\n", encoding="gbk")
    assert main(["import", str(path), "--table", "products"]) == EXIT_REJECTED
    printed = capsys.readouterr().out
    assert "第2行 字段 所属县市区" in printed and "秭归县" in printed  # nearest name
    before = digest(db_path)
    assert main(["import", str(path), "--table", "products"]) == EXIT_REJECTED
    assert digest(db_path) == before


def test_a_dry_run_writes_nothing_and_a_real_run_lands_as_a_version(
    tmp_path: Path, db_target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path = db_target
    path = csv_file(tmp_path, "测试茶,茶叶,,宜昌市,秭归县,高,media\n")
    assert main(["import", str(path), "--table", "products", "--dry-run"]) == 0
    before = digest(db_path)
    assert "试运行" in capsys.readouterr().out and digest(db_path) == before
    assert main(["import", str(path), "--table", "products", "--author", "县局"]) == 0
    with store.opened(db_path) as db:
        newest = history.versions(db)[0]
        products = db.read_table("products")
    assert (newest.action, newest.author, newest.file_name) == ("导入", "县局", path.name)
    assert "测试茶" in set(products["name"])


def test_a_missing_file_is_said_plainly(
    tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", str(tmp_path / "无.csv"), "--table", "products"]) == EXIT_UNREADABLE
    assert "无法读取文件" in capsys.readouterr().err


def test_hash_password_prints_a_hash_that_logs_in(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("一个足够长的密码\n"))
    assert main(["hash-password", "--stdin"]) == 0
    printed = capsys.readouterr().out.strip()
    accounts = accounts_from_secrets({"li": {"password_hash": printed}})
    with opened_store(db_path) as store:
        attempt = Attempt("li", "10.0.0.1")
        result = log_in(accounts, store, attempt, "一个足够长的密码", datetime.now(UTC))
    assert result.account is not None


def fail_logins(db_path: str | Path, username: str, client: str, times: int) -> None:
    accounts = accounts_from_secrets({})
    with opened_store(db_path) as store:
        for _ in range(times):
            log_in(accounts, store, Attempt(username, client), "wrong-password", datetime.now(UTC))


def test_sign_ins_lists_the_newest_attempts_without_passwords(
    db_target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path = db_target
    fail_logins(db_path, "wang\x1b[2J", "10.0.0.7", 2)
    assert main(["sign-ins", "--limit", "1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    assert "密码错误或无此用户" in lines[0] and "'wang\\x1b[2J'" in lines[0]
    assert "'10.0.0.7'" in lines[0] and "wrong-password" not in lines[0]


def test_unlock_lifts_the_throttle_of_an_editor_and_of_a_client(
    db_target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path = db_target
    fail_logins(db_path, "wang", "10.0.0.7", 3)
    with opened_store(db_path) as store:
        assert store.wait_seconds("client", "10.0.0.7", datetime.now(UTC)) > 0
    assert main(["unlock", "wang"]) == 0
    assert "清除了 3 条失败记录" in capsys.readouterr().out
    assert main(["unlock", "--client", "10.0.0.7"]) == 0
    assert "清除了 3 条失败记录" in capsys.readouterr().out
    with opened_store(db_path) as store:
        assert store.failure_rows() == 0
    assert main(["unlock"]) == 2


@pytest.mark.parametrize(
    "argv",
    [["sign-ins"], ["sign-ins", "--limit", "3"], ["unlock", "bob"], ["hash-password", "--stdin"]],
)
def test_commands_other_than_import_print_no_usage_error(
    db_path: Path,
    argv: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The early size check knows only ``import``: it stays silent for every other
    command instead of printing argparse's "invalid choice"."""
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password 1\n"))
    with opened_store(db_path):
        pass  # the database exists
    assert main(argv) == 0
    assert capsys.readouterr().err == ""


def test_import_help_prints_the_help_without_an_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["import", "--help"])
    assert exited.value.code == 0
    printed = capsys.readouterr()
    assert "--table" in printed.out and printed.err == ""


@pytest.mark.parametrize(
    "argv",
    [
        ["import", "--table", "products", "{file}"],
        ["import", "--tab", "products", "{file}"],
        ["import", "--table=products", "--dry-run", "{file}"],
        ["import", "--", "{file}", "--table", "products"],
    ],
)
def test_the_early_check_finds_the_file_wherever_it_is_written(
    tmp_path: Path,
    argv: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from landmarks.data import bounds

    path = tmp_path / "大.csv"
    path.write_bytes(b"a" * 2048)
    monkeypatch.setattr(bounds, "MAX_CSV_BYTES", 1024)
    assert main([str(path) if a == "{file}" else a for a in argv]) == EXIT_UNREADABLE
    assert "超过了 1 KB 的上限，未读取" in capsys.readouterr().err


def test_the_early_check_knows_every_import_option_that_takes_a_value() -> None:
    import argparse

    from landmarks.__main__ import _VALUE_OPTIONS, parser

    commands = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction))
    importing = commands.choices["import"]
    taking = {
        option
        for action in importing._actions
        if action.option_strings and action.nargs != 0
        for option in action.option_strings
    }
    assert taking == _VALUE_OPTIONS


@pytest.mark.parametrize("argv", [["sign-ins"], ["unlock", "bob"]])
def test_a_mistyped_database_path_is_refused_and_nothing_is_created(
    tmp_path: Path,
    argv: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    missing = tmp_path / "typo" / "landmarks.sqlite"
    monkeypatch.setenv(store.DB_ENV_VARIABLE, str(missing))
    assert main(argv) == EXIT_DATABASE
    printed = capsys.readouterr()
    assert printed.out == ""
    assert printed.err.startswith(f"数据库文件 {missing} 不存在。请检查环境变量 LANDMARKS_DB")
    assert list(tmp_path.iterdir()) == []


def test_sign_ins_reads_a_read_only_database_without_writing_it(
    db_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    fail_logins(db_path, "wang", "10.0.0.7", 1)
    before = db_path.read_bytes()

    def read_only_media(*args: object, **kwargs: object) -> object:
        raise OSError(30, "Read-only file system")  # EROFS: the folder takes no files

    monkeypatch.setattr(tempfile, "TemporaryFile", read_only_media)
    assert main(["sign-ins"]) == 0
    assert "'wang'" in capsys.readouterr().out
    assert db_path.read_bytes() == before


RELEASE_8 = ROOT / "tests" / "fixtures" / "landmarks-release-8.sqlite"


@pytest.mark.parametrize("made_by", ["this release", "release 8"])
def test_sign_ins_of_a_database_without_a_log_lists_none_and_adds_no_table(
    db_path: Path, capsys: pytest.CaptureFixture[str], made_by: str
) -> None:
    """A new database has an empty log; one of an older release (from before the log)
    has none at all, and listing it neither adds the table nor upgrades the file."""
    if made_by == "release 8":
        db_path.write_bytes(RELEASE_8.read_bytes())
    else:
        store.open_store(db_path).close()
    before = db_path.read_bytes()
    assert main(["sign-ins"]) == 0
    assert capsys.readouterr().out == "没有登录记录。\n"
    assert db_path.read_bytes() == before
    if made_by == "release 8":
        with store.opened(db_path, read_only=True) as db:
            assert "sign_in_log" not in db.table_names()


def run_cli(args: list[str], stdin: str, env_db: str | Path) -> subprocess.CompletedProcess[str]:
    """``python -m landmarks`` as a user runs it, its standard input piped (not a TTY)."""
    env = {**os.environ, store.DB_ENV_VARIABLE: str(env_db)}
    return subprocess.run(
        [sys.executable, "-m", "landmarks", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


def test_a_piped_password_is_hashed_without_stdin_option(db_path: Path) -> None:
    """``echo pw | python -m landmarks hash-password`` read the TTY and ended in EOFError."""
    done = run_cli(["hash-password"], "一个足够长的密码\n", db_path)
    assert "Traceback" not in done.stderr
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().startswith("$argon2")


@pytest.mark.parametrize(
    ("args", "stdin"),
    [
        (["hash-password"], ""),  # EOF: nothing piped
        (["hash-password"], "pw\n"),  # too short
        (["hash-password", "--stdin"], ""),
        (["sign-ins", "--limit", "abc"], ""),
        (["unlock"], ""),
        (["import", "无此文件.csv", "--table", "products"], ""),
        (["import", "--table", "nope", "x.csv"], ""),
        (["nonsense"], ""),
        ([], ""),
    ],
)
def test_no_command_ends_in_a_traceback(db_path: Path, args: list[str], stdin: str) -> None:
    done = run_cli(args, stdin, db_path)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode != 0
    assert done.stderr.strip()  # says why


def test_an_unexpected_error_is_said_plainly_and_exits_non_zero(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(arguments: object) -> int:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(cli, "_sign_ins", broken)
    assert main(["sign-ins"]) == cli.EXIT_UNEXPECTED
    said = capsys.readouterr().err
    assert "意外错误" in said and "disk on fire" in said and "Traceback" not in said


def test_sign_ins_are_listed_in_beijing_time(
    db_target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path = db_target
    with opened_store(db_path) as store:
        store.succeeded(Attempt("wang", "10.0.0.7"), datetime(2026, 12, 7, 16, 30, tzinfo=UTC))
    assert main(["sign-ins"]) == 0
    line = capsys.readouterr().out.splitlines()[0]
    assert line.startswith("2026-12-08 00:30:00（北京时间）")


# A county's messy survey, as clerks send them: GBK, a title row above the header, a
# misspelled county, a source type in English, a product already in the seed, a point
# outside Hubei, a formula in a name, and two good rows.
MESSY_SURVEY = (
    "秭归县地理标志产品普查表（2026年）,,,,,,,,\n"
    "产品名称,品类,所属市州,所属县市区,登记年份,经度,纬度,可信度,来源类型\n"
    "屈乡丝棉茶,茶叶,宜昌市,秭归县,2015,110.68,30.83,高,官方发布\n"
    "测试茶,茶叶,宜昌市,秭龟县,2015,,,高,官方发布\n"
    "秭归脐橙,水果,宜昌市,秭归县,2004,,,高,官方发布\n"
    "远方茶,茶叶,宜昌市,秭归县,2015,116.40,39.90,高,官方发布\n"
    "媒体茶,茶叶,宜昌市,秭归县,2015,,,中,media\n"
    "=1+1茶,茶叶,宜昌市,秭归县,2030,,,高,官方发布\n"
    "秭归桃叶橙,水果,宜昌市,秭归县,2004,,,中,媒体报道\n"
)


def messy_survey_runs(tmp_path: Path, target: str) -> list[tuple[int, str, str]]:
    """``python -m landmarks import`` of the messy survey into ``target``: refused as it
    is, then its valid rows imported, then the same again (refused: every row is now
    in the database or wrong); exit code, output, errors."""
    survey = tmp_path / "秭归县普查.csv"
    survey.write_bytes(MESSY_SURVEY.encode("gbk"))
    file_args = ["import", str(survey), "--table", "products", "--author", "县局"]
    runs = []
    for extra in ([], ["--valid-only"], ["--valid-only"]):
        done = run_cli([*file_args, *extra], "", target)
        runs.append((done.returncode, done.stdout, done.stderr))
    return runs


def test_the_messy_survey_imports_alike_on_sqlite_and_postgresql(
    tmp_path: Path, pg_database_url: str
) -> None:
    """The same file through the command line gives the same report, the same exit codes
    and the same stored rows on both backends."""
    (tmp_path / "sqlite").mkdir()
    (tmp_path / "postgresql").mkdir()
    on_sqlite = messy_survey_runs(tmp_path / "sqlite", str(tmp_path / "sqlite" / "db.sqlite"))
    on_postgresql = messy_survey_runs(tmp_path / "postgresql", pg_database_url)
    assert on_postgresql == on_sqlite
    (rejected, rejected_out, _), (landed, landed_out, _), (again, again_out, _) = on_sqlite
    (_, _, rejected_err), (_, _, landed_err), (_, _, again_err) = on_sqlite
    assert rejected_err == landed_err == ""
    assert again_err == "文件中没有无误的行可以导入（7 处问题），未导入。请修改后重新上传。\n"
    assert (rejected, landed, again) == (EXIT_REJECTED, 0, EXIT_REJECTED)
    assert "共 7 行数据，其中 3 行无误，4 行有问题" in rejected_out
    # rows numbered as in the file, under its title row; the nearest county name
    assert "第4行 字段 所属县市区 = “秭龟县”" in rejected_out and "秭归县" in rejected_out
    assert "第5行 字段 产品名称 = “秭归脐橙”：数据库中已有这条记录" in rejected_out
    assert "第6行 字段 经度/纬度" in rejected_out and "第8行 字段 登记年份" in rejected_out
    assert landed_out == rejected_out + "已导入，数据版本 2。\n"
    assert "共 7 行数据，每一行都有问题（共 7 处，见下表），未导入任何数据" in again_out
    with (
        store.opened(tmp_path / "sqlite" / "db.sqlite") as sqlite_db,
        store.opened(pg_database_url) as pg_db,
    ):
        assert sqlite_db.content_digest() == pg_db.content_digest()
        newest = [history.versions(db)[0] for db in (sqlite_db, pg_db)]
        names = set(sqlite_db.read_table("products")["name"])
    facts = [(v.id, v.action, v.author, v.file_sha256, v.counts) for v in newest]
    assert facts[0] == facts[1]  # the same version on both
    assert {"屈乡丝棉茶", "秭归桃叶橙"} <= names and "测试茶" not in names
