import React from "react";
import { useSearchParams } from "react-router-dom";

export function Preview() {
  const [params] = useSearchParams();
  const html = params.get("html") ?? "";
  return <div className="preview">{html}</div>;
}
