# Writes checked.safetensors, the weights of Checked.cs ([Model(4)] [Dense(2, Name = "fc")]): fc.weight F32 [2, 4],
# fc.bias F32 [2], all zeros, in the safetensors layout (8-byte little-endian header length, JSON header padded with
# spaces to 8 bytes, raw data). Plain Python, no torch: python3 make_checked_safetensors.py
import json
import struct

tensors = {"fc.weight": [2, 4], "fc.bias": [2]}
header, offset = {}, 0
for name, shape in tensors.items():
    size = 4
    for dimension in shape:
        size *= dimension
    header[name] = {"dtype": "F32", "shape": shape, "data_offsets": [offset, offset + size]}
    offset += size
text = json.dumps(header, separators=(",", ":")).encode("utf-8")
text += b" " * (-len(text) % 8)
with open("checked.safetensors", "wb") as file:
    file.write(struct.pack("<Q", len(text)) + text + bytes(offset))
