# Prints the elements of a DICOM file as pydicom reads them, as JSON lines:
#   [depth, "gggg,eeee", VR, value]   value: decoded text (multi-values joined with "\"), or null for binary.
# Used by the tests as an independent oracle for character-set decoding.
import json
import sys

import pydicom
from pydicom.multival import MultiValue


def text(value):
    if isinstance(value, (bytes, bytearray)):
        return None
    if isinstance(value, MultiValue) or isinstance(value, list):
        return "\\".join(str(v) for v in value)
    return str(value)


def walk(dataset, depth):
    for element in dataset:
        tag = "%04x,%04x" % (element.tag.group, element.tag.element)
        if element.VR == "SQ":
            print(json.dumps([depth, tag, "SQ", None], ensure_ascii=False))
            for item in element.value:
                walk(item, depth + 2)
        else:
            print(json.dumps([depth, tag, element.VR, text(element.value)], ensure_ascii=False))


walk(pydicom.dcmread(sys.argv[1], force=True), 0)
