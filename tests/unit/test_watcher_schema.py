"""The watched folder's top level extracts with `schema="auto"`; a first-level folder named
after a schema selects that schema."""

from pathlib import Path

from extractor.settings import load_settings
from schemas import AUTO
from workers.watcher import FolderWatcher


def test_top_level_files_are_routed_and_schema_folders_choose(tmp_path: Path) -> None:
    watcher = FolderWatcher(tmp_path, load_settings())
    assert watcher._schema_for(tmp_path.resolve() / "scan.pdf") == AUTO
    assert watcher._schema_for(tmp_path.resolve() / "lab_report" / "scan.pdf") == "lab_report"
    assert watcher._schema_for(tmp_path.resolve() / "unknown" / "scan.pdf") == AUTO
