"""Finding article files under the files and folders a user names: one walker for the library,
`margin analyze`, `margin add` and the rest."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from tui.core.articles import Article, ArticleError, is_article_name, load_article

MAX_FILES = 200_000  # a walk stops here, with a message, rather than run for ever


@dataclass
class FileInfo:
    """An article file found by `walk`: its path, size and modification time."""

    path: str
    size: int
    mtime_ns: int


def walk(
    roots: Iterable[str | Path], max_files: int = MAX_FILES, cancelled: Callable[[], bool] | None = None
) -> tuple[list[FileInfo], list[str]]:
    """Every article file under `roots` with its size and mtime; one message per problem.

    Hidden files and folders are skipped; symlinked folders are not followed (no loops) and each
    real folder is visited once; a file reached twice (a symlink to it) is listed once.
    """
    files: list[FileInfo] = []
    problems: list[str] = []
    seen_files: set[tuple[int, int]] = set()
    seen_dirs: set[tuple[int, int]] = set()

    def add(path: str, info: os.stat_result) -> None:
        key = (info.st_dev, info.st_ino)
        if key in seen_files:
            return
        seen_files.add(key)
        files.append(FileInfo(path, info.st_size, info.st_mtime_ns))

    for raw in roots:
        root = os.path.abspath(os.path.expanduser(str(raw)))
        try:
            info = os.stat(root)
        except FileNotFoundError:
            problems.append(f"{root}: no such file or folder")
            continue
        except (OSError, RuntimeError) as exc:
            problems.append(f"{root}: cannot be read ({getattr(exc, 'strerror', None) or exc})")
            continue
        if not stat.S_ISDIR(info.st_mode):
            add(root, info)  # named explicitly: any suffix, and problems show when it is parsed
            continue
        stack = [root]
        while stack:
            folder = stack.pop()
            if len(files) >= max_files or (cancelled is not None and cancelled()):
                break
            try:
                dir_info = os.stat(folder)
            except OSError:
                continue
            dir_key = (dir_info.st_dev, dir_info.st_ino)
            if dir_key in seen_dirs:
                continue
            seen_dirs.add(dir_key)
            try:
                with os.scandir(folder) as it:
                    children = sorted(it, key=lambda e: e.name)
            except OSError as exc:
                problems.append(f"{folder}: cannot be listed ({exc.strerror or exc})")
                continue
            subdirs = []
            for child in children:
                if len(files) >= max_files:
                    break
                if child.name.startswith("."):
                    continue
                try:
                    if child.is_dir(follow_symlinks=False):
                        subdirs.append(child.path)
                        continue
                    if not is_article_name(child.name):
                        continue
                    child_info = child.stat()  # follows a symlinked file; a dangling or looping link fails
                except (OSError, RuntimeError) as exc:
                    problems.append(f"{child.path}: cannot be read ({getattr(exc, 'strerror', None) or exc})")
                    continue
                if stat.S_ISREG(child_info.st_mode):
                    add(child.path, child_info)
                elif not stat.S_ISDIR(child_info.st_mode):
                    problems.append(f"{child.path}: not a regular file")
            stack.extend(reversed(subdirs))
        if len(files) >= max_files:
            problems.append(f"{root}: more than {max_files} article files; the rest are not listed")
            break
    return files, problems


def discover(paths: Iterable[str | Path]) -> tuple[list[Path], list[str]]:
    """Article files under the given files and folders (a file named explicitly counts whatever
    its suffix), and one message per path that fails."""
    files, problems = walk(paths)
    return [Path(info.path) for info in files], problems


def load_articles(paths: Iterable[str | Path]) -> tuple[list[Article], list[str]]:
    """Every readable article under `paths`, and one message per file or path that is not."""
    files, problems = discover(paths)
    articles = []
    for path in files:
        try:
            articles.append(load_article(path))
        except ArticleError as exc:
            problems.append(str(exc))
    return articles, problems
