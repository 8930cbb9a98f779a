"""Where the slow work of an audit runs: the local process pool, or a Dask cluster.

:mod:`coursecheck.cluster.engine` is the seam the audit calls; :mod:`.dask_engine` talks to a
Dask scheduler (imported only for ``--scheduler``); :mod:`.work` is what runs on a worker;
:mod:`.shard` splits the lessons for batch schedulers that will not run Dask.
"""
