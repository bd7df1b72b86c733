#include "lagesbild/engine/reader.h"

namespace lagesbild {

Reader::Reader(std::unique_ptr<EventStore> store, std::size_t queue_limit,
               std::chrono::milliseconds job_timeout)
    : store_(std::move(store)), queue_limit_(queue_limit), job_timeout_(job_timeout) {}

Reader::~Reader() { Stop(); }

void Reader::Start() {
  thread_ = std::thread([this] { Run(); });
}

void Reader::Stop() {
  {
    MutexLock lock(&mutex_);
    stopping_ = true;
  }
  wake_.SignalAll();
  if (thread_.joinable()) thread_.join();
}

bool Reader::TrySubmit(Job job) {
  {
    MutexLock lock(&mutex_);
    if (stopping_ || queue_.size() >= queue_limit_) {
      ++refused_;
      return false;
    }
    queue_.push_back(std::move(job));
  }
  wake_.Signal();
  return true;
}

std::size_t Reader::queued() const {
  MutexLock lock(&mutex_);
  return queue_.size();
}

std::int64_t Reader::refused() const {
  MutexLock lock(&mutex_);
  return refused_;
}

void Reader::Run() {
  for (;;) {
    Job job;
    {
      MutexLock lock(&mutex_);
      while (!stopping_ && queue_.empty()) wake_.Wait(&mutex_);
      if (queue_.empty()) return;  // stopping, and everything queued has run
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    store_->SetDeadline(std::chrono::steady_clock::now() + job_timeout_);
    job(*store_);
    store_->SetDeadline(std::nullopt);
  }
}

}  // namespace lagesbild
