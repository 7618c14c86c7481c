"""The engines Splink runs on behind one narrow contract: DuckDB (embedded default) and Spark.

Linkage code asks a backend for a Splink database API, hands it pandas frames and reads
pandas frames back; nothing else about the engine leaks out. Spark is an optional extra imported
only when chosen, with an error naming the extra when it is missing.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import pandas as pd

from sijill.errors import InputError

if TYPE_CHECKING:
    from splink.internals.database_api import DatabaseAPISubClass
    from splink.internals.splink_dataframe import SplinkDataFrame

__all__ = [
    "DuckDBBackend",
    "LinkageBackend",
    "SparkBackend",
    "make_backend",
    "remove_stale_spill_dirs",
]


class LinkageBackend(Protocol):
    """What the linkage pipeline needs from an engine."""

    name: str

    def database_api(self) -> DatabaseAPISubClass:
        """A fresh Splink database API on this engine (one per run)."""
        ...

    def register_records(self, frame: pd.DataFrame, name: str) -> SplinkDataFrame:
        """Load a prepared frame into the engine once, as a Splink input table.

        Every training and scoring query reads this table; the engine's own storage is read
        many times faster than a pandas frame with Python strings.
        """
        ...

    def to_pandas(self, frame: SplinkDataFrame) -> pd.DataFrame:
        """Materialise a Splink result as a pandas frame."""
        ...

    def close(self) -> None:
        """Release the engine's resources (connections, temporary files)."""
        ...


#: Spill directories are named after the process that owns them, so a later run can tell which
#: ones a killed run left behind (a signal skips Python's clean-up; they hold list data).
SPILL_PREFIX = "sijill-duckdb-"


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


def remove_stale_spill_dirs(root: Path | None = None) -> list[Path]:
    """Delete DuckDB spill directories whose owning process is gone; return what was removed."""
    removed = []
    for path in Path(root or tempfile.gettempdir()).glob(f"{SPILL_PREFIX}*-*"):
        owner = path.name[len(SPILL_PREFIX) :].split("-", 1)[0]
        if path.is_dir() and owner.isdigit() and not _process_alive(int(owner)):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


class DuckDBBackend:
    """DuckDB in memory with a memory limit and spill directory (the machine is shared).

    Args:
        memory_limit: DuckDB memory limit, e.g. ``"4GB"``.
        threads: Worker threads.
    """

    name = "duckdb"

    def __init__(self, memory_limit: str = "4GB", threads: int = 2) -> None:
        self.memory_limit = memory_limit
        self.threads = threads
        self._spill: tempfile.TemporaryDirectory[str] | None = None
        self._connection: Any = None
        self._api: DatabaseAPISubClass | None = None

    def database_api(self) -> DatabaseAPISubClass:
        """A Splink DuckDB API on a new in-memory connection with our limits set."""
        import duckdb
        from splink import DuckDBAPI

        self.close()
        remove_stale_spill_dirs()
        self._spill = tempfile.TemporaryDirectory(prefix=f"{SPILL_PREFIX}{os.getpid()}-")
        con = duckdb.connect(":memory:")
        try:
            con.execute(f"SET memory_limit = '{self.memory_limit}'")
        except duckdb.Error as exc:
            con.close()
            raise InputError(
                f"DuckDB rejected memory_limit {self.memory_limit!r}: {exc}",
                hint="write it like 4GB or 800MB",
            ) from None
        con.execute(f"SET threads = {int(self.threads)}")
        con.execute(f"SET temp_directory = '{self._spill.name}'")
        # Row order of intermediate tables carries no meaning (results are sorted in pandas);
        # not preserving it lets DuckDB stream joins and aggregations with less memory.
        con.execute("SET preserve_insertion_order = false")
        self._connection = con
        self._api = DuckDBAPI(connection=con)
        return self._api

    def register_records(self, frame: pd.DataFrame, name: str) -> SplinkDataFrame:
        """Copy the frame into a native DuckDB table (through Arrow) and register it.

        A pandas frame registered as a view is re-scanned, Python string by Python string,
        by every query (Splink validates, trains and scores with dozens of them).
        """
        import pyarrow as pa

        api = self._api if self._api is not None else self.database_api()
        arrow = pa.Table.from_pandas(frame, preserve_index=False)
        self._connection.register("__sijill_arrow_load", arrow)
        self._connection.execute(
            f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM __sijill_arrow_load"
        )
        self._connection.unregister("__sijill_arrow_load")
        return api.register(name, table_name=f"{name}_input")

    def to_pandas(self, frame: SplinkDataFrame) -> pd.DataFrame:
        """The result as pandas (through Arrow)."""
        return frame.as_pandas_dataframe()

    def close(self) -> None:
        """Close the connection and remove spilled files."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None
            self._api = None
        if self._spill is not None:
            self._spill.cleanup()
            self._spill = None


class SparkBackend:
    """Spark (local mode unless a session is given) for lists that outgrow one machine.

    Args:
        threads: Local cores when a local session is started.
        memory_limit: Driver memory for a local session, e.g. ``"4g"``.
        spark: An existing ``SparkSession`` (e.g. on a cluster); a local one is made if None.

    Raises:
        InputError: pyspark is not installed (install the ``spark`` extra).
    """

    name = "spark"

    def __init__(self, threads: int = 2, memory_limit: str = "4g", spark: Any = None) -> None:
        try:
            import pyspark  # noqa: F401
        except ImportError:
            raise InputError(
                "the Spark linkage backend needs pyspark, which is not installed",
                hint="install Sijill's `spark` extra (pip install 'sijill[spark]') "
                "or use backend duckdb",
            ) from None
        self.threads = threads
        self.memory_limit = memory_limit
        self._spark = spark
        self._owns_session = spark is None
        self._api: DatabaseAPISubClass | None = None
        self._checkpoints: tempfile.TemporaryDirectory[str] | None = None

    def database_api(self) -> DatabaseAPISubClass:
        """A Splink Spark API on the given or a new local session."""
        from pyspark.sql import SparkSession
        from splink import SparkAPI
        from splink.backends.spark import similarity_jar_location

        if self._spark is None:
            self._spark = (
                SparkSession.builder.master(f"local[{self.threads}]")
                # Splink's string similarities (Jaro-Winkler, Damerau-Levenshtein) are Scala
                # functions shipped in a jar with Splink.
                .config("spark.jars", similarity_jar_location())
                .config("spark.driver.memory", _jvm_memory(self.memory_limit))
                .config("spark.sql.shuffle.partitions", str(max(2, self.threads * 2)))
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                .appName("sijill-linkage")
                .getOrCreate()
            )
            self._spark.sparkContext.setLogLevel("ERROR")
        if not self._owns_session:
            self._api = SparkAPI(spark_session=self._spark)
            return self._api
        if self._checkpoints is None:
            # Connected components checkpoint their iterations; a local session has no
            # checkpoint directory until one is set.
            self._checkpoints = tempfile.TemporaryDirectory(prefix="sijill-spark-")
            self._spark.sparkContext.setCheckpointDir(self._checkpoints.name)
        # In local mode, keeping intermediate tables in memory is cheaper than writing each
        # to disk; a cluster session keeps Splink's default (checkpointing).
        self._api = SparkAPI(
            spark_session=self._spark,
            break_lineage_method="persist",
            num_partitions_on_repartition=max(2, self.threads),
        )
        return self._api

    def register_records(self, frame: pd.DataFrame, name: str) -> SplinkDataFrame:
        """Hand the frame to Spark (Splink converts it to a Spark DataFrame)."""
        api = self._api if self._api is not None else self.database_api()
        return api.register(frame, table_name=name)

    def to_pandas(self, frame: SplinkDataFrame) -> pd.DataFrame:
        """The result collected to the driver as pandas."""
        return frame.as_pandas_dataframe()

    def close(self) -> None:
        """Stop the local session this backend started (never a session it was given)."""
        self._api = None
        if self._spark is not None and self._owns_session:
            self._spark.stop()
            self._spark = None
        if self._checkpoints is not None:
            self._checkpoints.cleanup()
            self._checkpoints = None


def _jvm_memory(limit: str) -> str:
    """A memory size in DuckDB's spelling (``4GB``, ``800MB``) as the JVM writes it (``4g``)."""
    match = re.fullmatch(r"\s*(\d+)\s*([kmgt])i?b?\s*", limit.lower())
    if not match:
        raise InputError(
            f"memory limit {limit!r} is not a size Spark understands",
            hint="write it like 4GB or 800MB",
        )
    return f"{match.group(1)}{match.group(2)}"


def make_backend(name: str, memory_limit: str = "4GB", threads: int = 2) -> LinkageBackend:
    """The backend named in the settings.

    Raises:
        InputError: An unknown name, or Spark without pyspark installed.
    """
    if name == "duckdb":
        return DuckDBBackend(memory_limit, threads)
    if name == "spark":
        return SparkBackend(threads, memory_limit)
    raise InputError(f"unknown linkage backend {name!r}", hint="use duckdb or spark")
