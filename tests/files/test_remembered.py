"""zyklus.files.remembered: answers kept between runs while their file is unchanged (issue 21).

The point of each test is that a remembered answer is used only for the very file it was
made from: any change to the file, however it keeps size and mtime, makes it again.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from zyklus.files import remembered as module
from zyklus.files.remembered import remembered


class _Maker:
    def __init__(self, answer: list[str]) -> None:
        self.answer = answer
        self.calls = 0

    def __call__(self) -> list[str]:
        self.calls += 1
        return list(self.answer)


def _file(tmp_path: Path, text: str = "id\nstadt\n") -> Path:
    path = tmp_path / "areas.csv"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.usefixtures("settled")
def test_an_unchanged_file_is_answered_from_what_was_kept(tmp_path: Path) -> None:
    path = _file(tmp_path)
    make = _Maker(["stadt", "süd", ""])
    assert remembered("areas", path, "", make) == ["stadt", "süd", ""]
    assert remembered("areas", path, "", make) == ["stadt", "süd", ""]
    assert make.calls == 1
    empty = _Maker([])
    assert remembered("links", tmp_path, "", empty) == remembered("links", tmp_path, "", empty)
    assert remembered("links", tmp_path, "", empty) == []
    assert empty.calls == 1


@pytest.mark.usefixtures("settled")
def test_a_changed_file_is_read_again_even_with_its_size_and_mtime_put_back(
    tmp_path: Path,
) -> None:
    """ctime cannot be set back: a rewrite that keeps size and mtime is seen all the same."""
    path = _file(tmp_path, "id\nstadt\n")
    before = path.stat()
    assert remembered("areas", path, "", _Maker(["stadt"])) == ["stadt"]
    path.write_text("id\nnordx\n", encoding="utf-8")  # same size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    assert path.stat().st_mtime_ns == before.st_mtime_ns
    make = _Maker(["nordx"])
    assert remembered("areas", path, "", make) == ["nordx"]
    assert make.calls == 1


@pytest.mark.usefixtures("settled")
def test_a_new_entry_in_a_folder_is_seen(tmp_path: Path) -> None:
    folder = tmp_path / "projects"
    folder.mkdir()
    assert remembered("links", folder, "", _Maker([])) == []
    (folder / "verweis.yaml").symlink_to("karte.yaml")
    make = _Maker(["verweis.yaml"])
    assert remembered("links", folder, "", make) == ["verweis.yaml"]
    assert make.calls == 1


@pytest.mark.usefixtures("settled")
def test_the_answer_depends_on_the_context_and_the_question(tmp_path: Path) -> None:
    path = _file(tmp_path)
    remembered("areas", path, ";", _Maker(["a"]))
    assert remembered("areas", path, ",", _Maker(["b"])) == ["b"]
    assert remembered("links", path, ";", _Maker(["c"])) == ["c"]
    assert remembered("areas", path, ";", _Maker(["z"])) == ["a"]


def test_a_file_changed_just_now_is_never_kept(tmp_path: Path, cache: Path) -> None:
    """Within a coarse clock's tick a write could keep the times: nothing is kept then."""
    path = _file(tmp_path)
    make = _Maker(["stadt"])
    remembered("areas", path, "", make)
    remembered("areas", path, "", make)
    assert make.calls == 2
    assert not cache.exists() or not list(cache.iterdir())


@pytest.mark.usefixtures("settled")
def test_nothing_is_kept_when_the_answer_cannot_be_made(tmp_path: Path) -> None:
    path = _file(tmp_path)

    def refused() -> list[str]:
        raise ValueError("refused")

    for _ in range(2):
        with pytest.raises(ValueError, match="refused"):
            remembered("areas", path, "", refused)


@pytest.mark.usefixtures("settled")
def test_a_broken_or_foreign_cache_file_is_not_believed(tmp_path: Path, cache: Path) -> None:
    path = _file(tmp_path)
    remembered("areas", path, "", _Maker(["stadt"]))
    (kept,) = cache.iterdir()
    for text in (b"\xff\xfe", b"", kept.read_bytes().replace(b"zyklus-remembered", b"x")):
        kept.write_bytes(text)
        make = _Maker(["stadt"])
        assert remembered("areas", path, "", make) == ["stadt"]
        assert make.calls == 1
        kept.write_bytes(b"broken")


@pytest.mark.usefixtures("settled")
def test_a_cache_folder_that_cannot_be_written_is_no_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    path = _file(tmp_path)
    make = _Maker(["stadt"])
    assert remembered("areas", path, "", make) == ["stadt"]
    assert remembered("areas", path, "", make) == ["stadt"]
    assert make.calls == 2
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # not absolute: ~/.cache then
    assert module.folder() == Path.home() / ".cache" / "zyklus"


@pytest.mark.usefixtures("settled")
def test_an_answer_others_may_write_is_not_used(tmp_path: Path, cache: Path) -> None:
    path = _file(tmp_path)
    make = _Maker(["stadt"])
    remembered("areas", path, "", make)
    (kept,) = cache.iterdir()
    kept.chmod(0o666)  # anyone could have put it there
    assert remembered("areas", path, "", make) == ["stadt"] and make.calls == 2
