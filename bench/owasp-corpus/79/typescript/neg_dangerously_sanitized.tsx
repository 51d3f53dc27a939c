import React from "react";
import DOMPurify from "dompurify";
import { useSearchParams } from "react-router-dom";

export function Preview() {
  const [params] = useSearchParams();
  const html = DOMPurify.sanitize(params.get("html") ?? "");
  return <div className="preview" dangerouslySetInnerHTML={{ __html: html }} />;
}
