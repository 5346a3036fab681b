import { useLesson } from "./lesson-context.tsx";

export function Figure({ src, alt, caption }: { src: string; alt: string; caption?: string }) {
  const { courseId } = useLesson();
  return (
    <figure className="figure">
      <img src={`/courses/${courseId}/assets/${src}`} alt={alt} loading="lazy" />
      {caption ? <figcaption>{caption}</figcaption> : null}
    </figure>
  );
}
