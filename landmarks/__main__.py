"""``python -m landmarks``: data management from the command line.

python -m landmarks hash-password            # prints an Argon2 hash for the secrets
echo PASSWORD | python -m landmarks hash-password   # the same, the password piped in
python -m landmarks sign-ins                 # the newest sign-ins and failures
python -m landmarks unlock NAME [--client IP]  # lifts the throttle of an editor
python -m landmarks publish [--dir FOLDER]   # publishes the public page of the data
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Sequence
from pathlib import Path

# Only what refuses an oversized file is imported up front; the rest (pandas, openpyxl,
# the regions) is imported by the command that needs it, so a refusal takes a second.
from landmarks.data.bounds import ReadError, check_size
from landmarks.data.region import RegionConfigError

EXIT_REJECTED = 1
EXIT_UNREADABLE = 2
EXIT_DATABASE = 3
EXIT_UNEXPECTED = 4  # a failure no command foresaw: said in one line, never a traceback
EXIT_REGION = 5  # LANDMARKS_REGION unusable, its boundaries not built, or another region's database
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells count it
# ``publish --background`` (the app's publisher) yields the cores to the app's sessions.
BACKGROUND_NICENESS = 10


def _import(arguments: argparse.Namespace) -> int:
    from landmarks.data import history, seed, store
    from landmarks.data.imports import (
        PROBLEMS_SHOWN,
        ImportRejectedError,
        check_import,
        report_text,
        report_xlsx,
    )
    from landmarks.data.reading import read_upload
    from landmarks.data.regions import load_regions

    path = Path(arguments.file)
    try:
        check_size(path.stat().st_size, path.name)  # refused before reading it into memory
        content = path.read_bytes()
        raw = read_upload(content, path.name, table=arguments.table, sheet=arguments.sheet)
    except OSError as error:
        print(f"无法读取文件“{path}”：{error.strerror or error}", file=sys.stderr)
        return EXIT_UNREADABLE
    except ReadError as error:
        print(error, file=sys.stderr)
        return EXIT_UNREADABLE
    try:
        target = store.default_target()
        with store.opened(target) as db:
            store.remove_leftovers(target)  # of backups a killed run left
            regions = load_regions()
            seed.ensure_seeded(db, regions)
            report = check_import(
                raw,
                arguments.table,
                regions=regions,
                current=db.read_tables(),
                datum=arguments.datum,
                mode=arguments.mode,
            )
            print(report_text(report))
            if arguments.report:
                try:
                    Path(arguments.report).write_bytes(report_xlsx(report))
                    print(f"完整的检查报告已保存到“{arguments.report}”。")
                except OSError as error:
                    print(
                        f"无法保存检查报告“{arguments.report}”：{error.strerror or error}",
                        file=sys.stderr,
                    )
            elif len(report.problems) > PROBLEMS_SHOWN:
                print("加 --report 报告.xlsx 可保存全部问题的清单。")
            if arguments.dry_run:
                print("（试运行：未写入数据库）")
                return 0 if report.ok else EXIT_REJECTED
            if not report.ok and not arguments.valid_only:
                return EXIT_REJECTED
            version = history.import_report(
                db,
                report,
                author=arguments.author,
                content=content,
                valid_only=arguments.valid_only,
            )
    except ImportRejectedError as error:
        print(error, file=sys.stderr)
        return EXIT_REJECTED
    except store.NothingChangedError as unchanged:
        # Not a failure: the file matches the database, so no version and no backup.
        print(
            f"没有变化：文件中的数据与数据库中的完全相同，未写入新版本，也未备份"
            f"（数据仍为版本 {unchanged.version}）。"
        )
        return 0
    except store.StorageError as error:
        print(f"{error.message}。{error.hint}", file=sys.stderr)
        return EXIT_DATABASE
    print(f"已导入，数据版本 {version}。")
    _publish_quietly(None)
    return 0


def _publish_public_page(folder: Path | None) -> Path:
    """Publish the public page (``maps/public_page``) of the database's current data."""
    from landmarks.data import seed, store
    from landmarks.data.regions import load_regions
    from landmarks.maps import public_publish

    target = store.default_target()
    regions = load_regions()
    writable = store.access(target).writable  # a read-only database is published as it is
    with store.opened(target, read_only=not writable) as db:
        if writable:
            seed.ensure_seeded(db, regions)
        version = db.data_version()
        tables = dict(db.read_tables())
        updated_at = db.get_meta("updated_at") or ""
    return public_publish.publish_tables(tables, regions, version, updated_at, folder=folder)


def _publish_quietly(folder: Path | None) -> None:
    """After an import: publish the public page; a failure is said, the import stands."""
    from landmarks.data import store
    from landmarks.maps import public_publish

    if not public_publish.publishing_enabled():
        return

    try:
        published = _publish_public_page(folder)
    except store.StorageError as error:
        print(f"公开页未更新：{error.message}。{error.hint}", file=sys.stderr)
    except OSError as error:
        print(f"公开页未更新：无法写入文件（{error.strerror or error}）。", file=sys.stderr)
    else:
        print(f"公开页已更新：{published}")


def _publish(arguments: argparse.Namespace) -> int:
    from landmarks.data import store

    folder = Path(arguments.dir) if arguments.dir else None
    if arguments.background:  # the app's own publisher: never before its sessions' reruns
        os.nice(BACKGROUND_NICENESS)
    try:
        published = _publish_public_page(folder)
    except store.StorageError as error:
        print(f"{error.message}。{error.hint}", file=sys.stderr)
        return EXIT_DATABASE
    except OSError as error:
        target = folder or "static/p"
        print(f"无法写入公开页“{target}”：{error.strerror or error}", file=sys.stderr)
        return EXIT_UNREADABLE
    print(f"公开页已发布：{published}")
    return 0


def _read_password(from_stdin: bool) -> str | None:
    """The new password: from standard input when asked or when it is not a terminal
    (``echo pw | python -m landmarks hash-password``), else typed twice, hidden.  None
    (said why) when there is none to read or the two differ."""
    if from_stdin or not sys.stdin.isatty():
        line = sys.stdin.readline()
        if not line:
            print("标准输入中没有密码（已到结尾），未生成哈希。", file=sys.stderr)
            return None
        return line.rstrip("\r\n")
    try:
        password = getpass.getpass("新密码：")
        again = getpass.getpass("再输入一次：")
    except EOFError:
        print("没有读到密码（输入已结束），未生成哈希。", file=sys.stderr)
        return None
    if again != password:
        print("两次输入的密码不一致，未生成哈希。", file=sys.stderr)
        return None
    return password


def _hash_password(arguments: argparse.Namespace) -> int:
    from landmarks.data.accounts import hash_password

    password = _read_password(arguments.stdin)
    if password is None:
        return 2
    try:
        print(hash_password(password))
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    return 0


def _import_arguments(importing: argparse.ArgumentParser) -> None:
    """The import command's arguments (options taking a value: ``_VALUE_OPTIONS``)."""
    from landmarks.data.columns import TABLE_LABELS
    from landmarks.data.coords import DATUM_LABELS, DATUM_WGS84
    from landmarks.data.imports import MODE_APPEND, MODE_LABELS

    tables, datums, modes = list(TABLE_LABELS), list(DATUM_LABELS), list(MODE_LABELS)
    datum, mode = DATUM_WGS84, MODE_APPEND
    importing.add_argument("file", help="要导入的 .xlsx 或 .csv 文件")
    importing.add_argument("--table", required=True, choices=tables, help="导入到哪张表")
    importing.add_argument("--dry-run", action="store_true", help="只检查并打印报告，不写入")
    importing.add_argument("--datum", default=datum, choices=datums, help="文件中经纬度的坐标系")
    importing.add_argument(
        "--mode",
        default=mode,
        choices=modes,
        help="append：只新增（已有同名记录算问题）；update：同名记录按文件修改",
    )
    importing.add_argument("--valid-only", action="store_true", help="文件有问题时只导入无误的行")
    importing.add_argument("--sheet", default=None, help="Excel 中要读取的工作表名称")
    importing.add_argument("--author", default="命令行", help="记录在版本中的操作人")
    importing.add_argument(
        "--report", default=None, help="把检查报告（全部问题的清单）保存为此 .xlsx 文件"
    )


# The import options that take a value: the file is the first argument not one of them.
_VALUE_OPTIONS = frozenset({"--table", "--datum", "--mode", "--sheet", "--author", "--report"})


def _import_file(arguments: Sequence[str]) -> str | None:
    """The file an ``import`` command names (its first positional argument), or None when
    it names none or asks for help.  Read by hand, not by argparse: a parser knowing only
    part of the commands would print its own usage errors for every other command."""
    skip = False
    for argument in arguments:
        if skip:
            skip = False
        elif argument == "--":
            continue
        elif argument in ("-h", "--help"):
            return None
        elif argument.startswith("-"):
            # argparse takes a unique prefix (--tab); "--table=x" carries its value.
            skip = "=" not in argument and any(o.startswith(argument) for o in _VALUE_OPTIONS)
        else:
            return argument
    return None


def _refused_unread(argv: Sequence[str] | None) -> int | None:
    """Refuse an import of a file over its size bound before the data modules load
    (``EXIT_UNREADABLE``); None when there is nothing to refuse (another command, or
    arguments the full parser then explains).  Prints nothing but the refusal."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if not arguments or arguments[0] != "import":
        return None
    file = _import_file(arguments[1:])
    if not file:
        return None
    path = Path(file)
    try:
        check_size(path.stat().st_size, path.name)
    except OSError:
        return None  # the import says why it cannot read the file
    except ReadError as error:
        print(error, file=sys.stderr)
        return EXIT_UNREADABLE
    return None


def _sign_ins(arguments: argparse.Namespace) -> int:
    from landmarks.data import store, times
    from landmarks.data.store import sign_ins

    outcome_labels = {
        sign_ins.OUTCOME_SUCCESS: "登录成功",
        sign_ins.OUTCOME_FAILURE: "密码错误或无此用户",
        sign_ins.OUTCOME_THROTTLED: "过于频繁，被拒绝",
    }
    try:
        # Read only: a read-only database is listed too, and nothing is created.
        entries = sign_ins.read_log(store.default_target(), arguments.limit)
    except store.StorageError as error:
        print(f"{error.message}。{error.hint}", file=sys.stderr)
        return EXIT_DATABASE
    if not entries:
        print("没有登录记录。")
    for entry in entries:
        # repr: a name typed with control characters cannot rewrite the terminal.
        outcome = outcome_labels.get(entry.outcome, entry.outcome)
        moment = times.beijing_time(entry.at)
        at = f"{moment:%Y-%m-%d %H:%M:%S}（北京时间）" if moment else entry.at
        print(f"{at}  {outcome}  用户名 {entry.username!r}  客户端 {entry.client!r}")
    return 0


def _unlock(arguments: argparse.Namespace) -> int:
    if arguments.name is None and arguments.client is None:
        print("请给出要解除限制的用户名，或用 --client 给出客户端地址。", file=sys.stderr)
        return 2
    from landmarks.data import store
    from landmarks.data.store import sign_ins

    try:
        with sign_ins.opened_store(store.default_target(), existing=True) as sign_in_store:
            removed = sign_in_store.unlock(account=arguments.name, client=arguments.client)
    except store.StorageError as error:
        print(f"{error.message}。{error.hint}", file=sys.stderr)
        return EXIT_DATABASE
    print(f"已解除登录限制（清除了 {removed} 条失败记录）。")
    return 0


def _title() -> str:
    from landmarks.data.region import DEFAULT_CODE, RegionConfigError, app_title, region_for

    try:
        return app_title()
    except RegionConfigError:  # said when a command loads the region
        return app_title(region_for(DEFAULT_CODE))


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="python -m landmarks", description=f"{_title()} 数据管理")
    commands = root.add_subparsers(dest="command", required=True)
    importing = commands.add_parser("import", help="导入 Excel/CSV 文件（与页面上的检查相同）")
    _import_arguments(importing)
    importing.set_defaults(run=_import)
    hashing = commands.add_parser("hash-password", help="生成编辑账号的 Argon2 密码哈希")
    hashing.add_argument(
        "--stdin",
        action="store_true",
        help="从标准输入读取一行作为密码（标准输入不是终端时自动如此，如 echo 密码 | ...）",
    )
    hashing.set_defaults(run=_hash_password)
    log = commands.add_parser("sign-ins", help="列出最近的登录与失败记录（不含密码）")
    log.add_argument("--limit", type=int, default=50, help="列出多少条（最新的在前）")
    log.set_defaults(run=_sign_ins)
    unlocking = commands.add_parser("unlock", help="解除某个编辑账号和/或客户端的登录限制")
    unlocking.add_argument("name", nargs="?", default=None, help="编辑的用户名")
    unlocking.add_argument("--client", default=None, help="客户端地址（见 sign-ins 的输出）")
    unlocking.set_defaults(run=_unlock)
    publishing = commands.add_parser("publish", help="发布公开页（二维码打开的轻量页面）")
    publishing.add_argument(
        "--dir", default=None, help="发布到的文件夹（默认 $LANDMARKS_PUBLIC_DIR 或 static/p）"
    )
    publishing.add_argument(
        "--background", action="store_true", help="以低优先级运行（应用自己发布时使用）"
    )
    publishing.set_defaults(run=_publish)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command; whatever goes wrong ends in a plain message and a non-zero exit
    code, never in a traceback (argparse's own usage errors exit 2 as usual)."""
    try:
        refused = _refused_unread(argv)
        if refused is not None:
            return refused
        arguments = parser().parse_args(argv)
        code: int = arguments.run(arguments)
    except KeyboardInterrupt:
        print("已取消。", file=sys.stderr)
        return EXIT_INTERRUPTED
    except RegionConfigError as error:  # a bad region, unbuilt boundaries, another region's db
        print(error, file=sys.stderr)
        return EXIT_REGION
    except EOFError:
        print("输入已结束，命令未完成。", file=sys.stderr)
        return EXIT_UNEXPECTED
    except Exception as error:  # the last resort: said, not raised
        print(
            f"意外错误，命令未完成（Unexpected error）：{type(error).__name__}: {error}",
            file=sys.stderr,
        )
        return EXIT_UNEXPECTED
    return code


if __name__ == "__main__":
    sys.exit(main())
