import xml.sax
from xml.sax.handler import feature_external_ges


class Counter(xml.sax.ContentHandler):
    def __init__(self):
        super().__init__()
        self.count = 0

    def startElement(self, name, attrs):
        self.count += 1


def count_elements(stream):
    parser = xml.sax.make_parser()
    parser.setFeature(feature_external_ges, False)
    handler = Counter()
    parser.setContentHandler(handler)
    parser.parse(stream)
    return handler.count
