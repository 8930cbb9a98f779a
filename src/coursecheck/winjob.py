"""Windows Job Objects for :mod:`coursecheck.proc`: a child that dies with coursecheck and,
optionally, cannot allocate more than a memory cap.

Each child gets its own job with ``JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE``. coursecheck holds the
job's only handle, so when coursecheck exits or is killed, Windows closes the handle and ends the
child. With a memory cap, ``JOB_OBJECT_LIMIT_PROCESS_MEMORY`` makes the child's allocations past
it fail. Every call here is best effort: on failure the child runs with the time limit only.
There is a short window between starting the child and adding it to the job; ffmpeg starts no
processes of its own, so nothing escapes through it. On other systems every function is a no-op.
"""

from __future__ import annotations

import subprocess
import sys

JOB_OBJECT_LIMIT_PROCESS_MEMORY = 0x00000100
JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE = 0x00002000
JOB_OBJECT_EXTENDED_LIMIT_INFORMATION_CLASS = 9


def contain(popen: subprocess.Popen[bytes], mem_bytes: int | None) -> int | None:
    """Put ``popen``'s process in a new kill-on-close job; the job handle, or ``None``."""
    if sys.platform != "win32":
        return None
    import ctypes
    from ctypes import wintypes

    class IoCounters(ctypes.Structure):
        _fields_ = [(name, ctypes.c_ulonglong) for name in (
            "ReadOperationCount", "WriteOperationCount", "OtherOperationCount",
            "ReadTransferCount", "WriteTransferCount", "OtherTransferCount")]

    class BasicLimits(ctypes.Structure):
        _fields_ = [("PerProcessUserTimeLimit", ctypes.c_int64),
                    ("PerJobUserTimeLimit", ctypes.c_int64),
                    ("LimitFlags", wintypes.DWORD),
                    ("MinimumWorkingSetSize", ctypes.c_size_t),
                    ("MaximumWorkingSetSize", ctypes.c_size_t),
                    ("ActiveProcessLimit", wintypes.DWORD),
                    ("Affinity", ctypes.c_size_t),
                    ("PriorityClass", wintypes.DWORD),
                    ("SchedulingClass", wintypes.DWORD)]

    class ExtendedLimits(ctypes.Structure):
        _fields_ = [("BasicLimitInformation", BasicLimits),
                    ("IoInfo", IoCounters),
                    ("ProcessMemoryLimit", ctypes.c_size_t),
                    ("JobMemoryLimit", ctypes.c_size_t),
                    ("PeakProcessMemoryUsed", ctypes.c_size_t),
                    ("PeakJobMemoryUsed", ctypes.c_size_t)]

    try:
        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        kernel32.CreateJobObjectW.restype = wintypes.HANDLE
        kernel32.CreateJobObjectW.argtypes = [wintypes.LPVOID, wintypes.LPCWSTR]
        kernel32.SetInformationJobObject.argtypes = [wintypes.HANDLE, ctypes.c_int,
                                                     wintypes.LPVOID, wintypes.DWORD]
        kernel32.AssignProcessToJobObject.argtypes = [wintypes.HANDLE, wintypes.HANDLE]
        kernel32.CloseHandle.argtypes = [wintypes.HANDLE]
        job = kernel32.CreateJobObjectW(None, None)
        if not job:
            return None
        info = ExtendedLimits()
        flags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
        if mem_bytes is not None:
            flags |= JOB_OBJECT_LIMIT_PROCESS_MEMORY
            info.ProcessMemoryLimit = mem_bytes
        info.BasicLimitInformation.LimitFlags = flags
        handle = int(getattr(popen, "_handle"))  # noqa: B009 (Windows-only attribute)
        if not (kernel32.SetInformationJobObject(
                job, JOB_OBJECT_EXTENDED_LIMIT_INFORMATION_CLASS, ctypes.byref(info),
                ctypes.sizeof(info)) and kernel32.AssignProcessToJobObject(job, handle)):
            kernel32.CloseHandle(job)
            return None
        return int(job)
    except (OSError, AttributeError, ValueError):
        return None


def close(job: int) -> None:
    """Close a job handle from :func:`contain` (after its process has ended)."""
    if sys.platform != "win32":
        return
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32")
    kernel32.CloseHandle.argtypes = [wintypes.HANDLE]
    kernel32.CloseHandle(job)
