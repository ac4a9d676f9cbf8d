"""zyklus.files.digest_store: a folder's digests kept between runs while each file is
unchanged (issue 21).

The point of each test is that a remembered digest stands only for the very file, inputs
and code it was made from: any change makes the file count as unread.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from zyklus.files import digest_store, remembered
from zyklus.files.digest_store import DigestStore, open_store, signature


def _folder(tmp_path: Path, *names: str) -> Path:
    folder = tmp_path / "ws" / "projects"
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / name).write_text(f"id: {name}\n", encoding="utf-8")
    return folder


def _store(folder: Path, inputs: tuple[str | None, ...] = ("config 1",)) -> DigestStore:
    return open_store("status-cards", folder, folder.parent, inputs)


def _kept_once(folder: Path, name: str = "a.yaml", digest: object = "A") -> None:
    store = _store(folder)
    store.put(name, signature(folder / name), digest)
    store.save()


@pytest.mark.usefixtures("settled", "cache")
def test_an_unchanged_file_is_answered_from_the_last_run(tmp_path: Path) -> None:
    folder = _folder(tmp_path, "a.yaml", "b.yaml")
    _kept_once(folder, "a.yaml", {"title": "Ä", "due": (1, 2)})
    again = _store(folder)
    assert again.get("a.yaml", signature(folder / "a.yaml")) == (
        True,
        {"title": "Ä", "due": (1, 2)},
    )
    assert again.get("b.yaml", signature(folder / "b.yaml")) == (False, None)


@pytest.mark.usefixtures("settled", "cache")
def test_a_changed_file_is_not_answered_even_with_its_size_and_mtime_put_back(
    tmp_path: Path,
) -> None:
    folder = _folder(tmp_path, "a.yaml")
    path = folder / "a.yaml"
    before = path.stat()
    _kept_once(folder)
    path.write_text("id: b.yaml\n", encoding="utf-8")  # the same size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # ctime moves on regardless
    assert _store(folder).get("a.yaml", signature(path)) == (False, None)


@pytest.mark.usefixtures("settled", "cache")
def test_other_inputs_or_other_code_are_another_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _folder(tmp_path, "a.yaml")
    found = signature(folder / "a.yaml")
    _kept_once(folder)
    assert _store(folder, ("config 2",)).get("a.yaml", found) == (False, None)
    with monkeypatch.context() as patched:
        patched.setattr(digest_store, "_code_stamp", lambda: "other code")
        assert _store(folder).get("a.yaml", found) == (False, None)
    assert _store(folder).get("a.yaml", found) == (True, "A")


@pytest.mark.usefixtures("settled")
def test_an_input_too_new_or_no_cache_folder_remembers_nothing(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _folder(tmp_path, "a.yaml")
    store = _store(folder, ("config 1", None))  # None: zyklus.yaml changed a moment ago
    store.put("a.yaml", signature(folder / "a.yaml"), "A")
    store.save()
    assert not cache.exists()
    monkeypatch.setattr(remembered, "folder", lambda: None)
    assert _store(folder).path is None


@pytest.mark.usefixtures("cache")
def test_a_file_just_written_or_a_symlink_has_no_signature(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _folder(tmp_path, "a.yaml")
    assert signature(folder / "a.yaml") is None  # within SETTLED_NS of its change
    monkeypatch.setattr(remembered, "SETTLED_NS", 0)
    assert signature(folder / "a.yaml") is not None
    (folder / "link.yaml").symlink_to(folder / "a.yaml")
    assert signature(folder / "link.yaml") is None  # its target may change behind it
    assert signature(folder / "missing.yaml") is None


@pytest.mark.usefixtures("settled", "cache")
def test_a_removed_file_is_forgotten_and_an_unchanged_store_is_not_written(
    tmp_path: Path,
) -> None:
    folder = _folder(tmp_path, "a.yaml", "b.yaml")
    store = _store(folder)
    for name in ("a.yaml", "b.yaml"):
        store.put(name, signature(folder / name), name.upper())
    store.save()
    assert store.path is not None
    written = store.path.stat().st_mtime_ns
    again = _store(folder)
    again.get("a.yaml", signature(folder / "a.yaml"))
    again.get("b.yaml", signature(folder / "b.yaml"))
    again.save()
    assert store.path.stat().st_mtime_ns == written  # nothing changed: not written
    (folder / "b.yaml").unlink()
    third = _store(folder)
    third.get("a.yaml", signature(folder / "a.yaml"))
    third.save()
    assert set(_store(folder).kept) == {"a.yaml"}


@pytest.mark.usefixtures("settled")
def test_one_store_per_kind_and_folder_the_older_one_is_removed(
    tmp_path: Path, cache: Path
) -> None:
    folder = _folder(tmp_path, "a.yaml")
    _kept_once(folder)
    other = _store(folder, ("config 2",))
    other.put("a.yaml", signature(folder / "a.yaml"), "B")
    other.save()
    assert [p.name for p in cache.iterdir()] == [other.path.name if other.path else ""]
    offers = open_store("status-offers", folder, folder.parent, ())
    offers.put("a.yaml", signature(folder / "a.yaml"), "C")
    offers.save()
    assert len(list(cache.iterdir())) == 2  # another kind is another store


@pytest.mark.usefixtures("settled")
@pytest.mark.parametrize(
    "damage",
    [b"", b"zyklus-digests 1\n", b"not a store at all", None],
    ids=["empty", "header-only", "foreign", "truncated"],
)
def test_a_broken_store_is_no_store(tmp_path: Path, cache: Path, damage: bytes | None) -> None:
    folder = _folder(tmp_path, "a.yaml")
    _kept_once(folder)
    (path,) = cache.iterdir()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 7] if damage is None else damage)
    store = _store(folder)
    assert store.get("a.yaml", signature(folder / "a.yaml")) == (False, None)
    store.put("a.yaml", signature(folder / "a.yaml"), "new")
    store.save()  # and made anew
    assert _store(folder).get("a.yaml", signature(folder / "a.yaml")) == (True, "new")


@pytest.mark.usefixtures("settled")
def test_a_cache_that_cannot_be_written_is_no_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the cache folder would be", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    folder = _folder(tmp_path, "a.yaml")
    _kept_once(folder)  # nothing raised
    assert _store(folder).get("a.yaml", signature(folder / "a.yaml")) == (False, None)


@pytest.mark.usefixtures("settled")
def test_a_store_others_may_write_is_not_read(tmp_path: Path, cache: Path) -> None:
    folder = _folder(tmp_path, "a.yaml")
    _kept_once(folder)
    (path,) = cache.iterdir()
    path.chmod(0o622)  # writable by the group and others: anyone could have put it there
    assert _store(folder).get("a.yaml", signature(folder / "a.yaml")) == (False, None)
    path.chmod(0o600)
    assert _store(folder).get("a.yaml", signature(folder / "a.yaml")) == (True, "A")
