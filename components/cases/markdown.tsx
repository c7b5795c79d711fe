import ReactMarkdown from "react-markdown";
import rehypeSanitize from "rehype-sanitize";

/** Markdown written by people (descriptions, comments): raw HTML is dropped, the rest sanitised. */
export function Markdown({ text }: { text: string }) {
  return (
    <div className="prose-sm space-y-2 text-sm [&_a]:text-blue-700 [&_a]:underline [&_code]:rounded [&_code]:bg-slate-100 [&_code]:px-1 [&_pre]:overflow-x-auto [&_pre]:rounded [&_pre]:bg-slate-100 [&_pre]:p-2 [&_ul]:list-disc [&_ul]:pl-5 [&_ol]:list-decimal [&_ol]:pl-5">
      <ReactMarkdown skipHtml rehypePlugins={[rehypeSanitize]}>
        {text}
      </ReactMarkdown>
    </div>
  );
}
