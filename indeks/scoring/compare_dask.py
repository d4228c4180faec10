"""``compare`` on Dask: each wave scored on the cluster, pre and post joined by a shuffle.

Optional: ``pip install 'indeks[dask]'``; imported only when ``engine="dask"``.

1. Each wave (a file, a folder or a glob) is scored by the Dask engine
   (:func:`indeks.scoring.stream.score_files` with ``engine="dask"``): partitions
   read and scored on the workers, reduced on the client.
2. The scored rows of each wave become a Dask dataframe of (normalised id, form
   where the instrument has several, flat row number, scored).  Ids that occur more
   than once in a wave are found by a group-by on the cluster; the usable rows (an
   id, scored, not duplicated) of pre and post are joined by ``merge`` on the
   normalised id - a shuffle, so the two waves never have to be sorted or held
   together by one worker.
3. The joined row numbers and the duplicate rows come back to the client (two
   integers and a flag per respondent) and go through the same steps as the
   in-memory :func:`indeks.compare` (classification of every unpaired row, the
   pairs table, statistics, summary, issues): the result is the same.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from indeks.errors import ScoringInputError
from indeks.instruments import resolve_instrument
from indeks.messages import MESSAGES
from indeks.scoring.compare import (
    CompareResult,
    _classify,
    _finish,
    _plan,
    _rows,
    _score_waves,
    _Waves,
)
from indeks.scoring.ids import normalize_ids_arrow
from indeks.scoring.options import ScoringOptions

_NA = "\x00na"


def _headers(source, lang: str) -> pd.DataFrame:
    """An empty frame with the union of the headers of ``source``'s files."""
    from indeks.io.chunks import expand_inputs, iter_chunks

    heads = []
    for p in expand_inputs(source, lang):
        first = next(iter(iter_chunks(p, 1, lang)), None)
        if first is not None:
            heads.append(first.iloc[:0])
    return pd.concat(heads) if heads else pd.DataFrame()


def _wave_rows(waves: _Waves, names, has_form: bool) -> list[pd.DataFrame]:
    """Per wave: normalised id (+ form), flat row number, scored."""
    out, start = [], 0
    for name in names:
        r = waves.results[name].respondents
        n = len(r)
        ids = normalize_ids_arrow(r["respondent_id"]).to_pandas()
        f = pd.DataFrame(
            {
                "id": ids.astype(object).to_numpy(),
                "g": np.arange(start, start + n, dtype="int64"),
                "scored": (r["status"] == "scored").to_numpy(dtype=bool),
            }
        )
        if has_form:
            f["form"] = r["form"].astype(object).where(r["form"].notna(), _NA).astype(str)
        out.append(f[f["id"].notna()].astype({"id": str}))
        start += n
    return out


def _join_on_dask(frames: list[pd.DataFrame], on: list[str], npartitions: int, client):
    """Duplicate rows of each wave and the joined usable (pre, post) rows, on Dask."""
    import dask
    import dask.dataframe as dd

    dups, usable = [], []
    for f in frames:
        d = dd.from_pandas(f, npartitions=max(1, min(npartitions, len(f) or 1)))
        n = d.groupby(on).size().rename("n").reset_index()
        d = d.merge(n, on=on, how="left")
        dups.append(d[d["n"] > 1]["g"])
        usable.append(d[(d["n"] == 1) & d["scored"]][[*on, "g"]])
    joined = usable[0].merge(usable[1], on=on, how="inner", suffixes=("_pre", "_post"))
    if client is not None:
        dup0, dup1, pairs = client.compute(
            [dups[0], dups[1], joined[["g_pre", "g_post"]]], sync=True
        )
    else:
        dup0, dup1, pairs = dask.compute(dups[0], dups[1], joined[["g_pre", "g_post"]])
    return (
        np.concatenate([dup0.to_numpy(dtype="int64"), dup1.to_numpy(dtype="int64")]),
        np.vstack(
            [pairs["g_pre"].to_numpy(dtype="int64"), pairs["g_post"].to_numpy(dtype="int64")]
        ),
    )


def compare_dask(
    instrument,
    pre,
    post,
    id_column: str | None = None,
    *,
    scheduler=None,
    options: ScoringOptions | None = None,
    partition_bytes: int | None = None,
    chunk_rows: int | None = None,
    npartitions: int = 4,
    headline: str | None = None,
    min_pairs: int | None = None,
    **kwargs,
) -> CompareResult:
    """:func:`indeks.compare` of two files (or folders, globs) on Dask; see the module
    docstring.  ``scheduler``: an address, a ``distributed.Client`` or None (a
    LocalCluster of this machine, started once for both waves and the join)."""
    from indeks.scoring import dask_engine
    from indeks.scoring.stream import score_files

    if not dask_engine.available():
        raise ScoringInputError(texts=dict(MESSAGES["dask_missing"]))
    opts = ScoringOptions.merged(options, id_column=id_column, **kwargs)
    inst = resolve_instrument(instrument)
    sources = {"pre": pre, "post": post}
    client, cluster, owned = dask_engine._client(scheduler, True, 2)
    try:
        frames = {n: _headers(s, opts.lang) for n, s in sources.items()}
        plan = _plan(inst, frames, opts, headline, min_pairs)

        def score_wave(name, wave_opts):
            return score_files(
                inst,
                sources[name],
                engine="dask",
                scheduler=client,
                options=wave_opts,
                partition_bytes=partition_bytes,
                chunk_rows=chunk_rows,
            )

        waves = _score_waves(plan, frames, score_wave)
        rows = _rows(plan, waves)
        on = ["id", "form"] if waves.has_form else ["id"]
        dup_rows, pair_rows = _join_on_dask(
            _wave_rows(waves, plan.names, waves.has_form), on, npartitions, client
        )
    finally:
        if owned:
            client.close()
        if cluster is not None:
            cluster.close()
    dup = np.zeros(len(rows.key), dtype=bool)
    dup[dup_rows] = True
    cls = _classify(plan, waves, rows, dup=dup, pair_rows=pair_rows)
    return _finish(plan, waves, rows, cls)
