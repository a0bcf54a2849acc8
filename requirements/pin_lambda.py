"""Write requirements/lambda.txt: the exact set the Lambda bundle installs, from pip's resolution report.

Usage: pip install --dry-run --ignore-installed --report REPORT -r requirements/lambda.in -c constraints.txt
       python requirements/pin_lambda.py REPORT > requirements/lambda.txt
"""

import json
import sys

report = json.load(open(sys.argv[1]))
print("# Pinned by `make lock` from requirements/lambda.in: what the Lambda bundle installs.")
for item in sorted(report["install"], key=lambda item: item["metadata"]["name"].lower()):
    print(f"{item['metadata']['name']}=={item['metadata']['version']}")
