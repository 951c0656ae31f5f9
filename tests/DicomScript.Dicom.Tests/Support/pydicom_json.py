# Prints a DICOM file's dataset in the DICOM JSON model (PS3.18 Annex F) as pydicom writes it.
# Used by the tests as an independent oracle for our DICOM JSON model writer.
import json
import sys

import pydicom

dataset = pydicom.dcmread(sys.argv[1], force=True)
print(json.dumps(dataset.to_json_dict(bulk_data_threshold=1 << 40), ensure_ascii=False))
