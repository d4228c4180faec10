"""The Dask engine: the same definition, the same engine, parts scored on a cluster.

Optional: ``pip install 'indeks[dask]'``; nothing else in indeks imports Dask.

The input (a file, a folder or a glob of CSV / Parquet files) is described as
independent partitions on the client (:func:`indeks.io.chunks.partition_specs`:
Parquet row groups, CSV byte ranges cut at line ends).  Each worker reads its
partition and scores it with :func:`indeks.scoring.parts.score_part`; the client
takes the scored partitions back in order, a few at a time, and reduces them with the
same :class:`~indeks.scoring.parts.Reducer` as the streaming engine: respondents and
issues to the output, exact group statistics merged into the summary, duplicate ids
found over all partitions.  Without a scheduler address a LocalCluster of this
machine is started (and stopped at the end).
"""

from __future__ import annotations

from collections import deque

from indeks.errors import ScoringInputError
from indeks.messages import MESSAGES

try:  # the optional extra
    import dask  # noqa: F401
    import distributed
except ImportError:  # pragma: no cover - exercised only without the extra
    distributed = None  # type: ignore[assignment, unused-ignore]


def available() -> bool:
    return distributed is not None


def _score_spec(inst, spec, opts, file_index, label, lang):
    from indeks.io.chunks import SchemaConflict, read_partition
    from indeks.scoring.parts import score_part

    try:
        frame = read_partition(spec, lang)
    except SchemaConflict as exc:
        return ("conflict", file_index, exc.column)
    part = score_part(inst, frame, opts, file_index, label)
    return ("ok", part, None)


def _client(scheduler, processes: bool, n_workers: int):
    if isinstance(scheduler, distributed.Client):
        return scheduler, None, False
    if scheduler:
        return distributed.Client(scheduler), None, True
    cluster = distributed.LocalCluster(
        n_workers=n_workers,
        threads_per_worker=1,
        processes=processes,
        dashboard_address=None,
    )
    return distributed.Client(cluster), cluster, True


def run_dask(
    inst,
    paths,
    labels,
    file_opts,
    reducer,
    *,
    scheduler=None,
    lang="id",
    text_columns=None,
    partition_bytes=None,
    chunk_rows=None,
    processes: bool = True,
    n_workers: int = 2,
):
    """Score ``paths`` on Dask and feed ``reducer`` in order (see the module docstring).

    ``scheduler``: an address (``tcp://host:8786``), a ``distributed.Client``, or None
    for a LocalCluster of ``n_workers`` workers.
    """
    if distributed is None:
        raise ScoringInputError(texts=dict(MESSAGES["dask_missing"]))
    from indeks.io.chunks import DEFAULT_CHUNK_ROWS, partition_specs
    from indeks.scoring.stream import _Conflict

    text_columns = text_columns or {}
    specs = []
    for i, p in enumerate(paths):
        for spec in partition_specs(
            p,
            chunk_rows or DEFAULT_CHUNK_ROWS,
            partition_bytes,
            lang,
            text_columns.get(i, ()),
        ):
            specs.append((i, spec))
    client, cluster, owned = _client(scheduler, processes, n_workers)
    try:
        workers = max(len(client.scheduler_info().get("workers", {})), 1)
        window = 2 * workers + 1
        queue: deque = deque()
        todo = iter(specs)
        inst_f = client.scatter(inst, broadcast=True)

        def submit() -> bool:
            try:
                i, spec = next(todo)
            except StopIteration:
                return False
            fut = client.submit(
                _score_spec, inst_f, spec, file_opts[i], i, labels[i], lang, pure=False
            )
            queue.append((i, spec, fut))
            return True

        for _ in range(window):
            if not submit():
                break
        lines_before: dict[int, int] = {}
        while queue:
            i, spec, fut = queue.popleft()
            status, part, column = fut.result()
            fut.release()
            if status == "conflict":
                for _, _, f in queue:
                    f.cancel()
                raise _Conflict(part, column)
            offset = lines_before.get(i, 0) if spec["kind"] == "csv" else 0
            reducer.add(part, row_offset=offset)
            if spec["kind"] == "csv":
                lines_before[i] = offset + part.records
            submit()
    finally:
        if owned:
            client.close()
        if cluster is not None:
            cluster.close()
